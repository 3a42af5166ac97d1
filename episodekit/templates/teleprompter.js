// The teleprompter of preview --teleprompter: scrolls the script at the episode's speaking rate.
// Space starts and stops, the arrows go 5 s back or on, PageUp/PageDown a section, + and - change the
// rate by 10 words a minute, M mirrors the page, Home goes back to the start.
(function () {
  "use strict";
  var body = document.body;
  var base = Number(body.dataset.wpm);
  var wpm = base;
  var sections = Array.prototype.slice.call(document.querySelectorAll(".section"));
  var starts = [];
  var total = 0;
  sections.forEach(function (s) { starts.push(total); total += Number(s.dataset.seconds); });
  var at = 0, playing = false, last = null, moving = false;
  var status = document.getElementById("status");
  var mirror = document.getElementById("mirror");

  function line() { return window.innerHeight * 0.35; }
  function current() {
    for (var i = sections.length - 1; i > 0; i--) { if (at >= starts[i]) { return i; } }
    return 0;
  }
  function place() {
    var i = current(), s = sections[i], seconds = Number(s.dataset.seconds) || 1;
    var share = Math.min(1, Math.max(0, (at - starts[i]) / seconds));
    var top = s.getBoundingClientRect().top + window.scrollY;
    moving = true;
    window.scrollTo(0, Math.max(0, top + share * s.offsetHeight - line()));
    show();
  }
  function show() {
    var i = current(), left = (starts[i] + Number(sections[i].dataset.seconds) - at) * base / wpm;
    var minutes = Math.floor(Math.max(0, left) / 60), seconds = Math.floor(Math.max(0, left) % 60);
    status.querySelector(".now").textContent = sections[i].dataset.heading;
    status.querySelector(".left").textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " left";
    status.querySelector(".rate").textContent = wpm + " wpm" + (playing ? "" : " · paused");
    body.classList.toggle("playing", playing);
  }
  function fromScroll() {  // a paused reader who scrolls by hand moves the clock with the page
    var y = window.scrollY + line();
    for (var i = sections.length - 1; i >= 0; i--) {
      var top = sections[i].getBoundingClientRect().top + window.scrollY;
      if (y >= top || i === 0) {
        var share = Math.min(1, Math.max(0, (y - top) / (sections[i].offsetHeight || 1)));
        at = starts[i] + share * Number(sections[i].dataset.seconds);
        break;
      }
    }
    show();
  }
  function tick(now) {
    if (!playing) { last = null; return; }
    if (last !== null) { at = Math.min(total, at + (now - last) / 1000 * wpm / base); }
    last = now;
    place();
    if (at >= total) { playing = false; show(); return; }
    window.requestAnimationFrame(tick);
  }
  function jump(to) { at = Math.min(total, Math.max(0, to)); place(); }
  window.addEventListener("keydown", function (event) {
    var key = event.key, i = current();
    if (key === " ") { playing = !playing; show(); if (playing) { window.requestAnimationFrame(tick); } }
    else if (key === "ArrowDown" || key === "ArrowRight") { jump(at + 5); }
    else if (key === "ArrowUp" || key === "ArrowLeft") { jump(at - 5); }
    else if (key === "PageDown") { jump(i + 1 < starts.length ? starts[i + 1] : total); }
    else if (key === "PageUp") { jump(at - starts[i] > 2 || i === 0 ? starts[i] : starts[i - 1]); }
    else if (key === "+" || key === "=") { wpm = Math.min(400, wpm + 10); show(); }
    else if (key === "-" || key === "_") { wpm = Math.max(60, wpm - 10); show(); }
    else if (key === "m" || key === "M") { mirror.checked = !mirror.checked; }
    else if (key === "Home") { jump(0); }
    else { return; }
    event.preventDefault();
  });
  window.addEventListener("scroll", function () {
    if (moving) { moving = false; return; }
    if (!playing) { fromScroll(); }
  });
  body.classList.add("scripted");
  window.teleprompter = { state: function () { return { at: at, wpm: wpm, playing: playing, section: current() }; } };
  show();
}());
