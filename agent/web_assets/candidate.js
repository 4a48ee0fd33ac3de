// Reload the page (which reconnects to the interview) from the start and reconnect buttons, and
// put the keyboard in the interview once it is connected, so a candidate (on a reload too) types
// their answer at once without clicking first.
// Kept out of the page itself, so its Content-Security-Policy can forbid inline scripts.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.reload").forEach(function (button) {
    button.addEventListener("click", function () {
      const url = new URL(window.location.href);
      url.searchParams.delete("delay");
      window.location.replace(url.pathname + (url.search || ""));
    });
  });
  const terminal = document.getElementById("terminal");
  if (terminal === null) {
    return;
  }
  const focusWhenConnected = function () {
    if (!terminal.classList.contains("-connected")) {
      return false;
    }
    const keyboard = terminal.querySelector("textarea");
    if (keyboard !== null && document.activeElement === document.body) {
      keyboard.focus({ preventScroll: true });
    }
    return true;
  };
  const watcher = new MutationObserver(function () {
    if (focusWhenConnected()) {
      watcher.disconnect();
    }
  });
  watcher.observe(terminal, { attributes: true, attributeFilter: ["class"] });
});
