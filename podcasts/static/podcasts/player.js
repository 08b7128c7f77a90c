// Times on the episode page link to the moment on YouTube, so they work without
// JavaScript. With it, a click seeks the embedded player instead of leaving the page.
(function () {
  "use strict";
  var player = document.getElementById("player");
  if (!player) return;
  var origin = new URL(player.src).origin;

  function command(func, args) {
    // The player's postMessage API (enablejsapi=1); no script is loaded from YouTube.
    player.contentWindow.postMessage(JSON.stringify({ event: "command", func: func, args: args || [] }), origin);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-seek]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    var seconds = Number(link.getAttribute("data-seek"));
    command("seekTo", [seconds, true]);
    command("playVideo");
    player.setAttribute("data-seconds", String(seconds));
    var current = document.querySelector(".is-current");
    if (current) current.classList.remove("is-current");
    var row = link.closest("[id^='t-']");
    if (row) row.classList.add("is-current");
    var box = player.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight) player.scrollIntoView({ block: "nearest" });
  });
})();
