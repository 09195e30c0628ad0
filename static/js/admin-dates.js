// Django's admin warns "Enter times in the <server> timezone" beside every date input
// when the browser's time zone differs from the server's. Every date this site stores is
// a calendar date (DateField: sent_on, deadline, valid_from, ...), which has no time zone,
// so the warning is wrong there; it is kept for date-time inputs (vTimeField).
// DateTimeShortcuts adds the warnings on window "load"; this runs before, at DOMContentLoaded.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var shortcuts = window.DateTimeShortcuts;
  if (!shortcuts) {
    return;
  }
  var addWarning = shortcuts.addTimezoneWarning;
  shortcuts.addTimezoneWarning = function (input) {
    if (!input.classList.contains("vDateField")) {
      addWarning.call(shortcuts, input);
    }
  };
});
