// The supplier file's form shows how much of the file has gone up, then that the server is
// checking it, and puts the answer page in place. Without this script the form posts as any
// form does and the answer page comes in the usual way.
(function () {
  "use strict";
  if (!window.FormData || !window.DOMParser || !window.XMLHttpRequest) return;

  function show(request, form) {
    const page = new DOMParser().parseFromString(request.responseText, "text/html");
    const main = page.querySelector("main");
    const current = document.querySelector("main");
    if (!main || !current) {
      window.location.assign(request.responseURL || form.action);
      return;
    }
    if (request.responseURL && request.responseURL !== window.location.href) {
      window.history.pushState(null, "", request.responseURL);
    }
    document.title = page.title;
    current.replaceWith(main);
    const focus = main.querySelector("[role=alert], [role=status], h1");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  }

  // On the document, so that the form of an answer put in place works the same way.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const box = document.getElementById("import-progress");
    const bar = document.getElementById("import-bar");
    const status = document.getElementById("import-status");
    if (form.id !== "import-form" || !box || !bar || !status) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    box.hidden = false;
    bar.value = 0;
    status.textContent = "";
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) bar.value = Math.round((100 * progress.loaded) / progress.total);
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // indeterminate while the server checks every row
      status.textContent = status.dataset.processing;
    });
    request.addEventListener("load", () => show(request, form));
    request.addEventListener("error", () => {
      status.textContent = status.dataset.failed;
    });
    request.send(new FormData(form));
  });
})();
