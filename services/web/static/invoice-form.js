// The invoice form: add and remove rows without a round trip, and totals that follow the typing.
// The sums follow EN 16931 exactly (in integer öre with BigInt); the server computes them again.
(function () {
  "use strict";
  const form = document.getElementById("invoice-form");
  if (!form) return;
  const totalsBox = document.getElementById("totals");
  const lang = totalsBox.dataset.lang;
  let counter = 1000;

  // "1 234,5" -> units of 1/10000 as BigInt, or null.
  function parse(text) {
    const cleaned = String(text || "").replace(/[\s\u00a0]/g, "").replace(",", ".");
    if (!/^-?\d*(\.\d{0,4})?$/.test(cleaned) || cleaned === "" || cleaned === "." || cleaned === "-") return null;
    const negative = cleaned.startsWith("-");
    const [whole, fraction = ""] = cleaned.replace("-", "").split(".");
    const value = BigInt(whole || "0") * 10000n + BigInt((fraction + "0000").slice(0, 4));
    return negative ? -value : value;
  }
  // Round half up (away from zero) from `scale` units down to öre.
  function toOre(value, scale) {
    const half = scale / 2n;
    return value >= 0n ? (value + half) / scale : -((-value + half) / scale);
  }
  function money(ore) {
    const negative = ore < 0n;
    const abs = negative ? -ore : ore;
    const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, lang === "sv" ? "\u00a0" : ",");
    const cents = (abs % 100n).toString().padStart(2, "0");
    return (negative ? "-" : "") + whole + (lang === "sv" ? "," : ".") + cents;
  }

  function recompute() {
    const groups = new Map();
    let net = 0n;
    const add = (vat, ore) => {
      groups.set(vat, (groups.get(vat) || 0n) + ore);
      net += ore;
    };
    for (const row of form.querySelectorAll("#lines tbody [data-row]")) {
      const quantity = parse(row.querySelector("[data-role=quantity]").value);
      const price = parse(row.querySelector("[data-role=price]").value);
      const cell = row.querySelector("[data-role=net]");
      if (quantity === null || price === null) { cell.textContent = ""; continue; }
      const ore = toOre(quantity * price, 1000000n);  // 1e-8 units -> öre
      cell.textContent = money(ore);
      add(row.querySelector("[data-role=vat]").value, ore);
    }
    for (const row of form.querySelectorAll("#charges tbody [data-row]")) {
      const amount = parse(row.querySelector("[data-role=amount]").value);
      if (amount !== null) add(row.querySelector("[data-role=vat]").value, toOre(amount, 100n));
    }
    let vat = 0n;
    const rows = document.getElementById("vat-rows");
    rows.replaceChildren();
    for (const [choice, taxable] of [...groups.entries()].sort()) {
      const [category, rate] = choice.split(":");
      if (category === "S") vat += toOre(taxable * BigInt(rate), 100n);
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.textContent = `${totalsBox.dataset.netLabel || ""} ${category} ${rate} %`.trim();
      const td = document.createElement("td");
      td.textContent = money(taxable);
      tr.append(th, td);
      rows.append(tr);
    }
    document.getElementById("total-net").textContent = money(net);
    document.getElementById("total-vat").textContent = money(vat);
    document.getElementById("total-payable").textContent = money(net + vat);
  }

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add]");
    if (add) {
      event.preventDefault();
      const name = add.dataset.add;
      const template = document.getElementById(name === "lines" ? "line-template" : "charge-template");
      const html = template.innerHTML.replaceAll("__i__", String(counter++));
      const body = document.querySelector(`#${name} tbody`);
      body.insertAdjacentHTML("beforeend", html);
      body.lastElementChild.querySelector("input").focus();
      recompute();
      return;
    }
    const remove = event.target.closest("[data-remove]");
    if (remove) {
      event.preventDefault();
      remove.closest("[data-row]").remove();
      recompute();
    }
  });
  form.addEventListener("input", recompute);
  form.addEventListener("change", recompute);
  recompute();

  // The live VAT check: the server lists, per customer, the VAT choices the rules refuse and why;
  // the same rules refuse them again when the invoice is sent.
  const refusals = JSON.parse(form.dataset.vatRefusals || "{}");
  function checkVat() {
    const buyer = (document.getElementById("buyer_id") || {}).value || "";
    for (const select of form.querySelectorAll("[data-role=vat]")) {
      const note = select.parentElement.querySelector("[data-role=vat-check]");
      if (!note) continue;
      const messages = (refusals[buyer] || {})[select.value] || [];
      note.textContent = messages.join(" ");
      note.hidden = messages.length === 0;
      // The refusal describes the field beside the server's errors for it, which stay.
      const notes = [document.getElementById(select.id + "-note"), messages.length ? note : null]
        .filter(Boolean)
        .map((element) => element.id);
      if (notes.length) {
        select.setAttribute("aria-invalid", "true");
        select.setAttribute("aria-describedby", notes.join(" "));
      } else {
        select.removeAttribute("aria-invalid");
        select.removeAttribute("aria-describedby");
      }
    }
  }
  form.addEventListener("change", checkVat);
  checkVat();

  // The templates, once a customer is chosen: only that customer's.
  const groups = document.querySelectorAll(".template-group");
  function showTemplates() {
    const buyer = (document.getElementById("buyer_id") || {}).value || "";
    let shown = 0;
    for (const group of groups) {
      group.hidden = buyer !== "" && group.dataset.buyerId !== buyer;
      if (!group.hidden) shown += 1;
    }
    const none = document.getElementById("templates-none");
    if (none) none.hidden = shown > 0;
  }
  if (groups.length) {
    form.addEventListener("change", showTemplates);
    showTemplates();
  }

  const preview = document.getElementById("preview-link");
  if (preview) window.open(preview.href, "_blank", "noopener");
})();
