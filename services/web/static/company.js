// Without a VAT number the field is not needed: grey it out while the box is ticked.
(function () {
  "use strict";
  const box = document.getElementById("no_vat_number");
  const vat = document.getElementById("vat_number");
  if (!box || !vat) return;
  const update = () => { vat.disabled = box.checked; if (box.checked) vat.value = ""; };
  box.addEventListener("change", update);
  update();
})();
