// Ticks each password rule as it is met, while the user types.
(function () {
  "use strict";
  const list = document.getElementById("password-rules");
  const input = list && document.getElementById(list.dataset.input);
  if (!input) return;
  const rules = {
    length: (p) => p.length >= 8,
    special: (p) => /[^A-Za-z0-9\s]/.test(p),
    case: (p) => /\p{Ll}/u.test(p) && /\p{Lu}/u.test(p),
    digit: (p) => /\d/.test(p),
  };
  const update = () => {
    for (const item of list.querySelectorAll("[data-rule]")) {
      item.classList.toggle("met", rules[item.dataset.rule](input.value));
    }
  };
  input.addEventListener("input", update);
  update();
})();
