// "I'm not a robot": solves the server's proof-of-work challenge (the ALTCHA protocol) in the
// browser, then puts the solution in the form. Nothing leaves this site.
(function () {
  "use strict";
  const box = document.querySelector(".captcha[data-challenge-url]");
  if (!box) return;
  const check = box.querySelector("#captcha-check");
  const field = box.querySelector("#captcha");
  const status = box.querySelector("#captcha-status");
  const encoder = new TextEncoder();

  async function sha256hex(text) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function solve(challenge) {
    for (let number = 0; number <= challenge.maxnumber; number++) {
      if ((await sha256hex(challenge.salt + number)) === challenge.challenge) return number;
    }
    throw new Error("no solution");
  }

  check.addEventListener("change", async () => {
    if (!check.checked) { field.value = ""; status.textContent = ""; return; }
    check.disabled = true;
    status.textContent = box.dataset.working;
    try {
      const response = await fetch(box.dataset.challengeUrl, { cache: "no-store", credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const challenge = await response.json();
      const number = await solve(challenge);
      field.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
        salt: challenge.salt, signature: challenge.signature,
      }));
      status.textContent = box.dataset.done;
      box.classList.add("solved");
    } catch (error) {
      check.checked = false;
      status.textContent = box.dataset.failed;
    } finally {
      check.disabled = false;
    }
  });
})();
