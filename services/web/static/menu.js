// The header's menus fold behind one button on a narrow screen. Without this script the button
// stays hidden and the menus wrap under the portal's name, each a <details> that opens by itself.
(function () {
  "use strict";
  const button = document.getElementById("site-menu-button");
  const menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  document.documentElement.classList.add("menu-folds");
  button.hidden = false;

  function show(open) {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  }
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  // Escape closes the folded menu and gives the focus back to its button, as a menu does.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    show(false);
    if (button.offsetParent !== null) button.focus();
  });
})();
