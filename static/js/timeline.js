// Zoom and pan for the timeline's picture, which the server draws as SVG
// (templates/ruiraq/_timeline_svg.html, ruiraq/site/timeline.py). The script only moves what
// is there: each bar carries the days it covers (data-start, data-end: days since 1970, the
// end excluded) and its lane, so a new view is the same arithmetic as the server's with
// another window. Without it, the picture is the whole window and the list below is the page.
(function () {
  "use strict";

  var root = document.querySelector("[data-timeline]");
  if (!root) return;
  var svg = root.querySelector("svg");
  var scroller = root.querySelector(".timeline-picture__scroll");
  var controls = root.querySelector(".timeline-picture__controls");
  var rtl = root.dataset.rtl === "1";
  var NS = "http://www.w3.org/2000/svg";
  var MIN_BAR = 6;
  var CHAR = 6.5;
  var MIN_DAYS = 20; // the narrowest window: about three weeks
  var months = Array.prototype.map.call(
    document.getElementById("timeline-months").content.querySelectorAll("span"),
    function (span) { return span.textContent; }
  );

  var full = { start: Number(root.dataset.start), end: Number(root.dataset.end) };
  var view = { start: full.start, end: full.end };
  var width = Number(svg.getAttribute("width"));
  var SERVER_WIDTH = width; // the lanes were packed at this width: never narrower

  // Bars by band and lane, in date order, so a label knows the room before the next bar.
  var lanes = {};
  var bars = Array.prototype.map.call(svg.querySelectorAll("a.timeline-bar"), function (link) {
    var bar = {
      link: link,
      rect: link.querySelector("rect"),
      text: link.querySelector("text"),
      start: Number(link.dataset.start),
      end: Number(link.dataset.end),
      title: link.dataset.title,
    };
    var key = link.closest("[data-band]").dataset.band + ":" + link.dataset.lane;
    (lanes[key] = lanes[key] || []).push(bar);
    return bar;
  });
  Object.keys(lanes).forEach(function (key) {
    lanes[key].sort(function (a, b) { return a.start - b.start; });
  });
  // Too many records drawn as years (each a link to its own timeline): nothing to zoom.
  if (!bars.length) return;

  function left(day) { return ((day - view.start) * width) / (view.end - view.start); }
  function x(day) { return rtl ? width - left(day) : left(day); }

  function cut(title, room) {
    var fits = Math.floor(room / CHAR);
    if (fits >= title.length) return title;
    if (fits < 6) return "";
    return title.slice(0, fits - 1).trim() + "…";
  }

  function dayToDate(day) { return new Date(day * 86400000); }
  function dateToDay(year, month) { return Math.round(Date.UTC(year, month, 1) / 86400000); }

  function drawTicks() {
    var group = svg.querySelector(".timeline-svg__ticks");
    group.replaceChildren();
    var first = dayToDate(view.start);
    var last = dayToDate(view.end);
    var days = view.end - view.start;
    var height = svg.getAttribute("height");
    var ticks = [];
    if (days > 3 * 366) {
      var years = last.getUTCFullYear() - first.getUTCFullYear() + 1;
      var step = Math.max(1, Math.ceil(years / (width / 60)));
      for (var year = first.getUTCFullYear(); year <= last.getUTCFullYear(); year++) {
        if (year % step === 0) ticks.push({ day: dateToDay(year, 0), label: String(year), major: true });
      }
    } else {
      var monthStep = days > 500 ? 3 : 1;
      var y = first.getUTCFullYear();
      var m = first.getUTCMonth();
      while (dateToDay(y, m) <= view.end) {
        if (m % monthStep === 0) {
          var label = months[m] + (m === 0 || ticks.length === 0 ? " " + y : "");
          ticks.push({ day: dateToDay(y, m), label: label, major: m === 0 });
        }
        m += 1;
        if (m === 12) { m = 0; y += 1; }
      }
    }
    ticks.forEach(function (tick) {
      var position = x(tick.day);
      if (position < -1 || position > width + 1) return;
      var g = document.createElementNS(NS, "g");
      g.setAttribute("class", "timeline-svg__tick" + (tick.major ? " timeline-svg__tick--major" : ""));
      var line = document.createElementNS(NS, "line");
      line.setAttribute("x1", position);
      line.setAttribute("x2", position);
      line.setAttribute("y1", 18);
      line.setAttribute("y2", height);
      var text = document.createElementNS(NS, "text");
      text.setAttribute("x", position);
      text.setAttribute("y", 14);
      text.setAttribute("dx", rtl ? -3 : 3);
      text.textContent = tick.label;
      g.append(line, text);
      group.append(g);
    });
  }

  function draw() {
    bars.forEach(function (bar) {
      var a = left(Math.max(bar.start, view.start - 1));
      var b = left(Math.min(bar.end, view.end + 1));
      var w = Math.max(b - a, MIN_BAR);
      var outside = bar.end < view.start || bar.start > view.end;
      bar.left = left(bar.start);
      bar.rect.setAttribute("x", rtl ? width - a - w : a);
      bar.rect.setAttribute("width", w);
      // Hidden, a bar outside the view also leaves the keyboard's path.
      bar.link.setAttribute("visibility", outside ? "hidden" : "visible");
    });
    Object.keys(lanes).forEach(function (key) {
      var lane = lanes[key];
      lane.forEach(function (bar, index) {
        var next = lane[index + 1];
        var start = Math.max(bar.left, 0);
        var room = (next ? Math.min(next.left, width) : width) - start - 4;
        bar.text.textContent = cut(bar.title, room);
        bar.text.setAttribute("x", rtl ? width - start - 3 : start + 3);
      });
    });
    drawTicks();
  }

  function setView(start, end) {
    var days = Math.max(end - start, MIN_DAYS);
    var span = full.end - full.start;
    if (days >= span) {
      view.start = full.start;
      view.end = full.end;
    } else {
      start = Math.min(Math.max(start, full.start), full.end - days);
      view.start = start;
      view.end = start + days;
    }
    draw();
  }

  function zoom(factor, centreRatio) {
    var days = view.end - view.start;
    var centre = view.start + days * (centreRatio === undefined ? 0.5 : centreRatio);
    var next = days * factor;
    setView(centre - next * (centre - view.start) / days, centre + next * (view.end - centre) / days);
  }

  function pan(ratio) {
    var shift = (view.end - view.start) * ratio;
    setView(view.start + shift, view.end + shift);
  }

  // Time runs right to left in Arabic: "back" is to the right there.
  function ratioAt(clientX) {
    var box = svg.getBoundingClientRect();
    var ratio = (clientX - box.left) / box.width;
    return rtl ? 1 - ratio : ratio;
  }

  controls.hidden = false;
  controls.addEventListener("click", function (event) {
    var button = event.target.closest("[data-zoom]");
    if (!button) return;
    var action = button.dataset.zoom;
    if (action === "in") zoom(0.5);
    else if (action === "out") zoom(2);
    else if (action === "back") pan(-0.25);
    else if (action === "forward") pan(0.25);
    else setView(full.start, full.end);
  });

  // Ctrl + wheel (and a trackpad's pinch, which browsers send as one) zooms where it points;
  // a plain wheel keeps scrolling the page.
  svg.addEventListener("wheel", function (event) {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    zoom(event.deltaY > 0 ? 1.25 : 0.8, ratioAt(event.clientX));
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || event.target.closest("a")) return;
    drag = { x: event.clientX, start: view.start, end: view.end, moved: false };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x;
    if (Math.abs(dx) > 3) drag.moved = true;
    var days = ((rtl ? dx : -dx) * (drag.end - drag.start)) / svg.getBoundingClientRect().width;
    setView(drag.start + days, drag.end + days);
  });
  function endDrag() { drag = null; }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  // The keyboard: + and - zoom, the arrow keys move along time, 0 shows everything.
  scroller.addEventListener("keydown", function (event) {
    var forward = rtl ? "ArrowLeft" : "ArrowRight";
    var back = rtl ? "ArrowRight" : "ArrowLeft";
    if (event.key === "+" || event.key === "=") zoom(0.5);
    else if (event.key === "-") zoom(2);
    else if (event.key === forward) pan(0.2);
    else if (event.key === back) pan(-0.2);
    else if (event.key === "0") setView(full.start, full.end);
    else return;
    event.preventDefault();
  });

  // Fit the drawing to its box; below the server's width (a phone) it scrolls sideways in it.
  function fit() {
    var available = Math.floor(scroller.clientWidth);
    var next = Math.max(available, SERVER_WIDTH);
    if (next === width) return;
    width = next;
    svg.setAttribute("width", width);
    svg.setAttribute("viewBox", "0 0 " + width + " " + svg.getAttribute("height"));
    svg.querySelectorAll(".timeline-svg__band-bg").forEach(function (rect) {
      rect.setAttribute("width", width);
    });
    svg.querySelectorAll(".timeline-svg__band-heading").forEach(function (text) {
      text.setAttribute("x", rtl ? width - 6 : 6);
    });
    draw();
  }
  window.addEventListener("resize", fit);
  fit();
  if (rtl) scroller.scrollLeft = scroller.scrollWidth;
})();
