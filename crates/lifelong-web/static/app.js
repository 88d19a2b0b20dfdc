// Lifelong: progressive enhancement only; every page works without this file.
(function () {
  'use strict';
  // Move focus to the error summary so screen readers announce what to fix.
  var summary = document.getElementById('error-summary');
  if (summary) { summary.focus(); }
  // Ask before actions marked as needing confirmation.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // Copy buttons for secrets shown once (API tokens).
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy'));
      if (target && navigator.clipboard) { navigator.clipboard.writeText(target.textContent.trim()); }
    });
  });
  // Print buttons (certificates).
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
})();
