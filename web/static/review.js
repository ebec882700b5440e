// The review controls of a passage page: accept, reject, add a code to the
// selected text, remove, save a memo, and the keyboard shortcuts. Every
// decision is POSTed as JSON with the page's CSRF token; the page reloads
// once the server has acknowledged it (which it does only after the
// review store has committed it).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var text = document.getElementById("text");
  if (!meta || !text) return;
  var csrf = meta.content;
  var passage = text.dataset.passage;
  var chars = parseInt(text.dataset.chars, 10);
  var status = document.getElementById("status");

  function say(msg, bad) {
    status.textContent = msg;
    status.className = bad ? "error" : "notice";
  }

  // requestID names a decision, so that a retry after a lost answer is
  // recorded once.
  function requestID() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  function post(d) {
    d.passage_id = passage;
    d.request_id = requestID();
    var body = JSON.stringify(d);
    say("saving…");
    var attempt = function (n) {
      return fetch("/api/decisions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: body
      }).then(function (resp) {
        return resp.json().then(function (v) {
          if (!resp.ok) throw new Error(v.error || resp.statusText);
          say("saved (#" + v.decision.seq + ")");
          location.reload();
        });
      }, function (err) {
        if (n < 3) return new Promise(function (ok) { setTimeout(ok, 500 * (n + 1)); }).then(function () { return attempt(n + 1); });
        throw err;
      });
    };
    return attempt(0).catch(function (err) { say("not saved: " + err.message, true); });
  }

  // codePoints counts the code points of a string (a surrogate pair is
  // one).
  function codePoints(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }

  // offset turns a DOM position (node, UTF-16 offset) inside the passage
  // into a code-point offset from the passage's start. Each child of
  // #text holds one text node and says in data-s where it starts.
  function offset(node, off) {
    if (node === text) {
      if (off >= text.children.length) return chars;
      return parseInt(text.children[off].dataset.s, 10);
    }
    var seg = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    while (seg && seg.parentElement !== text) seg = seg.parentElement;
    if (!seg) return null;
    var start = parseInt(seg.dataset.s, 10);
    if (node.nodeType === Node.TEXT_NODE) return start + codePoints(node.data.slice(0, off));
    return off === 0 ? start : start + codePoints(seg.textContent);
  }

  function selectedSpan() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var r = sel.getRangeAt(0);
    if (!text.contains(r.startContainer) || !text.contains(r.endContainer)) return null;
    var a = offset(r.startContainer, r.startOffset), b = offset(r.endContainer, r.endOffset);
    if (a === null || b === null) return null;
    a = Math.max(0, Math.min(a, chars));
    b = Math.max(0, Math.min(b, chars));
    return a < b ? { start: a, end: b } : null;
  }

  function addSelected() {
    var span = selectedSpan();
    if (!span) { say("Select some text of the passage first.", true); return; }
    post({ code_id: document.getElementById("code").value, action: "add", span: span });
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b) return;
    if (b.classList.contains("accept")) post({ code_id: b.dataset.code, action: "accept" });
    else if (b.classList.contains("reject")) post({ code_id: b.dataset.code, action: "reject" });
    else if (b.classList.contains("remove")) {
      var d = { code_id: b.dataset.code, action: "remove" };
      if (b.dataset.start !== undefined) d.span = { start: parseInt(b.dataset.start, 10), end: parseInt(b.dataset.end, 10) };
      post(d);
    } else if (b.id === "add") addSelected();
    else if (b.id === "add-whole") post({ code_id: document.getElementById("code").value, action: "add" });
    else if (b.id === "save-memo") {
      var m = { code_id: b.dataset.code, action: b.dataset.action, memo: document.getElementById("memo").value };
      if (b.dataset.start !== undefined) m.span = { start: parseInt(b.dataset.start, 10), end: parseInt(b.dataset.end, 10) };
      post(m);
    }
  });

  // Keyboard: the focused coding row is the first not yet reviewed.
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.coding"));
  var cur = rows.findIndex(function (r) { return !r.dataset.state; });
  if (cur < 0) cur = 0;
  function focusRow(i) {
    if (!rows.length) return;
    rows.forEach(function (r) { r.classList.remove("focus"); });
    cur = (i + rows.length) % rows.length;
    rows[cur].classList.add("focus");
  }
  focusRow(cur);
  // The controls work from here on (tests wait for it after a reload).
  document.body.dataset.ready = "1";
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    var row = rows[cur];
    switch (e.key) {
      case "j": focusRow(cur + 1); break;
      case "k": focusRow(cur - 1); break;
      case "a": if (row) post({ code_id: row.dataset.code, action: "accept" }); break;
      case "r": if (row) post({ code_id: row.dataset.code, action: "reject" }); break;
      case "c": addSelected(); break;
      case "m": document.getElementById("memo").focus(); break;
      case "n": location.href = document.getElementById("next").href; break;
      default: return;
    }
    e.preventDefault();
  });
})();
