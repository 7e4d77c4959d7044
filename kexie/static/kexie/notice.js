// Notice draft page: show the fields that fit each unit's choice (a new organization, or an existing
// one to remember), keep "Confirm" disabled until every unknown unit is mapped, and ask before a
// draft is discarded. The server checks all of this again; without script every field is shown.
(function () {
  "use strict";

  function updateRow(row) {
    var select = row.querySelector("select[data-unit-choice]");
    if (!select) { return; }
    var value = select.value;
    row.querySelectorAll("[data-new-org]").forEach(function (el) { el.hidden = value !== "new"; });
    row.querySelectorAll("[data-existing-org]").forEach(function (el) { el.hidden = value === "" || value === "new"; });
  }

  function updateConfirm() {
    var button = document.querySelector("[data-confirm-button]");
    if (!button) { return; }
    var open = Array.prototype.some.call(
      document.querySelectorAll("select[data-unit-choice]"),
      function (select) { return select.value === ""; }
    );
    button.disabled = open;
    var hint = document.querySelector("[data-confirm-hint]");
    if (hint) { hint.hidden = !open; }
  }

  document.querySelectorAll("[data-unit-row]").forEach(function (row) {
    updateRow(row);
    var select = row.querySelector("select[data-unit-choice]");
    if (select) {
      select.addEventListener("change", function () { updateRow(row); updateConfirm(); });
    }
  });
  updateConfirm();

  document.querySelectorAll("form[data-discard-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-message"))) { event.preventDefault(); }
    });
  });
})();
