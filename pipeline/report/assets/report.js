/* The report's behaviour: the facts table (sort, filter, pages) and the paragraph drawings
   (entity spans and relation arcs, brat-style: an arc between two rows is drawn as two halves).
   Reads its data from <script type="application/json" id="data-..."> blocks; fetches nothing. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });

  function data(name) {
    var node = document.getElementById("data-" + name);
    return node ? JSON.parse(node.textContent) : null;
  }
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function s(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  var config = data("config") || {};
  var colors = config.colors || {};
  var relColors = config.relColors || {};

  /* ---------------- paragraph drawings ---------------- */

  // ents: [start, end, label, canonical, status, flag]; rels: [head, tail, type, flag]
  function drawText(text, ents, rels, side) {
    var box = h("div", { class: "para-text" });
    var order = ents.map(function (e, i) { return i; }).sort(function (a, b) { return ents[a][0] - ents[b][0]; });
    var spans = new Array(ents.length);
    var pos = 0;
    order.forEach(function (i) {
      var e = ents[i];
      if (e[0] < pos) return; // overlapping spans are not drawn twice
      box.append(text.slice(pos, e[0]));
      var title = e[2] + (e[3] && e[3] !== text.slice(e[0], e[1]) ? " → " + e[3] : "") + (e[4] ? " (" + e[4] + ")" : "");
      var cls = "ent" + (e[5] ? (side === "gold" ? " fn" : " fp") : "");
      var span = h("span", { class: cls, "data-label": e[2], title: title, style: "background:" + (colors[e[2]] || "#ddd") });
      span.textContent = text.slice(e[0], e[1]);
      box.append(span);
      spans[i] = span;
      pos = e[1];
    });
    box.append(text.slice(pos));
    var svg = s("svg", { class: "arcs" });
    box.append(svg);
    box._arcs = function () { drawArcs(box, svg, spans, rels, side); };
    return box;
  }

  function drawArcs(box, svg, spans, rels, side) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var b = box.getBoundingClientRect();
    svg.setAttribute("width", b.width);
    svg.setAttribute("height", b.height);
    var where = spans.map(function (sp) {
      if (!sp) return null;
      var r = sp.getClientRects()[0];
      return r ? { x: (r.left + r.right) / 2 - b.left, top: r.top - b.top } : null;
    });
    var segs = [];
    rels.forEach(function (rel) {
      var hd = where[rel[0]], tl = where[rel[1]];
      if (!hd || !tl) return;
      var cls = rel[3] ? (side === "gold" ? "fn" : "fp") : "";
      if (Math.abs(hd.top - tl.top) < 4) {
        segs.push({ row: hd.top, a: Math.min(hd.x, tl.x), b: Math.max(hd.x, tl.x), tailX: tl.x, rel: rel, cls: cls });
        return;
      }
      var first = hd.top < tl.top ? hd : tl, last = first === hd ? tl : hd;
      segs.push({ row: first.top, a: first.x, b: b.width, tailX: first === tl ? tl.x : null, rel: rel, cls: cls });
      segs.push({ row: last.top, a: 0, b: last.x, tailX: last === tl ? tl.x : null, rel: rel, cls: cls });
    });
    segs.sort(function (p, q) { return (p.b - p.a) - (q.b - q.a); });
    segs.forEach(function (g, i) {
      var level = 1;
      for (var j = 0; j < i; j++) {
        var o = segs[j];
        if (Math.abs(o.row - g.row) < 4 && o.a < g.b && g.a < o.b) level = Math.max(level, o.level + 1);
      }
      g.level = level;
    });
    segs.forEach(function (g) { drawSegment(svg, g, b.width); });
  }

  // One arc (or half of one): up from the left end, along, down to the right end; an end at the
  // box's edge stays open (the arc continues on the other row). The arrowhead marks the tail.
  function drawSegment(svg, g, width) {
    var color = relColors[g.rel[2]] || "#555";
    var y0 = g.row - 1, top = y0 - 9 - Math.min(g.level - 1, 2) * 9, r = 4;
    var left = g.a, right = g.b, downLeft = left > 0.5, downRight = right < width - 0.5;
    var d = (downLeft ? "M" + left + "," + y0 + " L" + left + "," + (top + r) + " Q" + left + "," + top + " " + (left + r) + "," + top
                      : "M" + left + "," + top) +
            " L" + (downRight ? right - r : right) + "," + top +
            (downRight ? " Q" + right + "," + top + " " + right + "," + (top + r) + " L" + right + "," + y0 : "");
    svg.append(s("path", { d: d, stroke: color, class: "arc " + g.cls, "data-rel": g.rel[2] }));
    if (g.tailX !== null) {
      var x = g.tailX;
      svg.append(s("path", { d: "M" + (x - 3.5) + "," + (y0 - 5) + " L" + x + "," + y0 + " L" + (x + 3.5) + "," + (y0 - 5) + " Z", fill: color, stroke: color, class: "arrow" }));
    }
    if (g.tailX === null) return; // an arc split over two rows is labelled once, on the tail's half
    var label = s("text", { x: (left + right) / 2, y: top + 3.5, "text-anchor": "middle", class: "arc-label", fill: color });
    label.textContent = g.rel[2];
    svg.append(label);
  }

  function redraw(root) {
    root.querySelectorAll(".para-text").forEach(function (box) { if (box._arcs) box._arcs(); });
  }

  /* ---------------- paragraphs section ---------------- */

  function setupParagraphs() {
    var rows = data("paragraphs");
    var root = document.getElementById("paragraphs");
    if (!rows || !root) return;
    var compare = config.mode === "compare";
    var perPage = 20, page = 0, shown = rows;
    var list = h("div", { id: "para-list" });
    var search = h("input", { type: "search", placeholder: "filter: document, paragraph or text", id: "para-filter" });
    var only = h("input", { type: "checkbox", id: "para-only" });
    var onlyLabel = h("label", {}, [only, compare ? " only paragraphs with differences" : " only paragraphs with relations"]);
    var prev = h("button", { text: "◀ previous", id: "para-prev" }), next = h("button", { text: "next ▶", id: "para-next" });
    var count = h("span", { class: "count", id: "para-count" });
    root.append(h("div", { class: "controls" }, [search, onlyLabel, prev, next, count]), list);

    function matches(row, q) {
      if (only.checked) {
        if (compare && !row[7]) return false;
        if (!compare && !row[4].length) return false;
      }
      if (!q) return true;
      var m = q.match(/^(\S+)\s*¶\s*(\d+)$/);
      if (m) return String(row[0]) === m[1] && String(row[1]) === m[2];
      return (String(row[0]) + " " + row[2]).toLowerCase().indexOf(q) >= 0;
    }
    function render() {
      list.textContent = "";
      var start = page * perPage, end = Math.min(start + perPage, shown.length);
      shown.slice(start, end).forEach(function (row) { list.append(paragraph(row, compare)); });
      count.textContent = shown.length ? (start + 1) + "–" + end + " of " + shown.length + " paragraphs" : "no paragraph matches";
      prev.disabled = page === 0;
      next.disabled = end >= shown.length;
      requestAnimationFrame(function () { redraw(list); });
    }
    function refilter() {
      var q = search.value.trim().toLowerCase();
      shown = rows.filter(function (row) { return matches(row, q); });
      page = 0;
      render();
    }
    search.addEventListener("input", debounce(refilter, 200));
    only.addEventListener("change", refilter);
    prev.addEventListener("click", function () { page--; render(); });
    next.addEventListener("click", function () { page++; render(); });
    window.addEventListener("resize", debounce(function () { redraw(list); }, 150));
    window.showParagraph = function (doc, para) {
      search.value = doc + " ¶" + para;
      only.checked = false;
      refilter();
      var first = list.querySelector(".para");
      if (first) { first.classList.add("focus"); first.scrollIntoView({ block: "center" }); }
    };
    render();
  }

  function paragraph(row, compare) {
    var where = h("div", { class: "where" }, [h("b", { text: String(row[0]) }), " ¶" + row[1]]);
    var div = h("div", { class: "para" }, [where]);
    if (!compare) {
      div.append(drawText(row[2], row[3], row[4], "pred"));
      return div;
    }
    div.append(h("div", { class: "pair" }, [
      h("div", {}, [h("h3", { text: "gold" }), drawText(row[2], row[3], row[4], "gold")]),
      h("div", {}, [h("h3", { text: "predicted" }), drawText(row[2], row[5], row[6], "pred")]),
    ]));
    return div;
  }

  /* ---------------- facts table ---------------- */

  function setupFacts() {
    var facts = data("facts");
    var root = document.getElementById("facts");
    if (!facts || !root) return;
    var cols = facts.columns, rows = facts.rows;
    var ix = {};
    cols.forEach(function (c, i) { ix[c] = i; });
    var shownCols = [
      ["doc_id", "document"], ["relation", "relation"], ["head_canonical", "head"], ["tail_canonical", "tail"],
      ["launched_by", "launched by"], ["value", "value"], ["unit", "unit"], ["qualifier", "qualifier"], ["evidence", "sentence"],
    ];
    var text = rows.map(function (r) { return r.map(function (v) { return v === null ? "" : String(v); }).join(" ").toLowerCase(); });
    var order = rows.map(function (r, i) { return i; });
    var shown = order, page = 0, perPage = 50, sortCol = null, sortDir = 1;
    var search = h("input", { type: "search", placeholder: "filter: any name, unit or text", id: "facts-filter" });
    var kind = h("select", { id: "facts-kind" }, [h("option", { value: "", text: "all facts" })].concat(
      (config.relations || []).map(function (t) { return h("option", { value: t, text: t }); }),
      [h("option", { value: "entity", text: "entities in no relation" })]));
    var prev = h("button", { text: "◀ previous", id: "facts-prev" }), next = h("button", { text: "next ▶", id: "facts-next" });
    var count = h("span", { class: "count", id: "facts-count" });
    var head = h("tr");
    shownCols.forEach(function (c) {
      var th = h("th", { text: c[1], "data-col": c[0], title: "sort by " + c[1] });
      th.addEventListener("click", function () { sortBy(c[0]); });
      head.append(th);
    });
    var body = h("tbody");
    root.append(h("div", { class: "controls" }, [search, kind, prev, next, count]), h("table", { class: "facts", id: "facts-table" }, [h("thead", {}, [head]), body]));

    function cell(r, c) {
      var v = r[ix[c]];
      if (c === "doc_id") {
        var a = h("a", { text: v + " ¶" + r[ix.para], title: "show the paragraph" });
        a.addEventListener("click", function () { if (window.showParagraph) window.showParagraph(v, r[ix.para]); });
        return h("td", {}, [a]);
      }
      if (c === "relation") return h("td", {}, [v ? h("span", { class: "tag", text: v, style: "background:" + (relColors[v] || "#eee") }) : h("span", { class: "tag", text: r[ix.head_label], style: "background:" + (colors[r[ix.head_label]] || "#eee") })]);
      if (c === "head_canonical" || c === "tail_canonical") {
        var written = r[ix[c.replace("_canonical", "")]];
        var td = h("td", { text: v === null ? "" : v });
        if (written !== null && written !== v) td.append(h("span", { class: "written", text: "written " + written }));
        return td;
      }
      if (c === "value") return h("td", { class: "num", text: v === null ? "" : Number(v).toLocaleString("en") });
      if (c === "evidence") return h("td", { class: "evidence", text: v || "" });
      return h("td", { text: v === null ? "" : v });
    }
    function render() {
      body.textContent = "";
      var start = page * perPage, end = Math.min(start + perPage, shown.length);
      shown.slice(start, end).forEach(function (i) {
        body.append(h("tr", {}, shownCols.map(function (c) { return cell(rows[i], c[0]); })));
      });
      count.textContent = (shown.length ? (start + 1) + "–" + end + " of " : "") + shown.length.toLocaleString("en") + " facts" +
        (facts.total > rows.length ? " (the table holds the first " + rows.length.toLocaleString("en") + " of " + facts.total.toLocaleString("en") + ")" : "");
      prev.disabled = page === 0;
      next.disabled = end >= shown.length;
      head.querySelectorAll("th").forEach(function (th) {
        if (th.dataset.col === sortCol) th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
    }
    function compare(a, b) {
      var va = rows[a][ix[sortCol]], vb = rows[b][ix[sortCol]];
      if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1; // empty cells last
      var c = typeof va === "number" && typeof vb === "number" ? va - vb : collator.compare(String(va), String(vb));
      if (!c && sortCol === "doc_id") c = rows[a][ix.para] - rows[b][ix.para];
      return c * sortDir || a - b;
    }
    function refilter() {
      var q = search.value.trim().toLowerCase(), k = kind.value;
      shown = order.filter(function (i) {
        if (k === "entity" ? rows[i][ix.relation] !== null : k && rows[i][ix.relation] !== k) return false;
        return !q || text[i].indexOf(q) >= 0;
      });
      if (sortCol) shown.sort(compare);
      page = 0;
      render();
    }
    function sortBy(c) {
      sortDir = sortCol === c ? -sortDir : 1;
      sortCol = c;
      shown.sort(compare);
      page = 0;
      render();
    }
    search.addEventListener("input", debounce(refilter, 200));
    kind.addEventListener("change", refilter);
    prev.addEventListener("click", function () { page--; render(); });
    next.addEventListener("click", function () { page++; render(); });
    render();
  }

  function start() {
    setupFacts();
    setupParagraphs();
    document.body.setAttribute("data-ready-ms", performance.now().toFixed(0)); // since navigation started
    document.body.setAttribute("data-ready", "1");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
