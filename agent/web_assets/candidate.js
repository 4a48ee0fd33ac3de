// Reload the page (which reconnects to the interview) from the start and reconnect buttons.
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
});
