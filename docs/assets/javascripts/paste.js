/*
 * smtpguide paste box: explains a pasted bounce in the browser, with no server.
 *
 * A faithful port of smtpguide/normalize.py (straighten, fold, codes_of, is_multiline,
 * strip_continuations) and smtpguide/matcher.py (Index.explain, _score, _result), run on the
 * index the site build exports (api/v1/paste-index.json, smtpguide.render_index.paste_index).
 * tests/test_paste_parity.py runs every entry example through this file and through Python and
 * requires the same best entry; keep the two in step.
 *
 * Contributed data is only ever inserted with textContent / setAttribute, never innerHTML.
 */
(function () {
  "use strict";

  // Set from the index (matcher.py is the one source of the scoring constants).
  var BAND, NOTICE, QUOTED, VAGUE, FOLLOW_UP, COMMON, ADJUST;

  // ------------------------------------------------------------------ normalize.py
  var QUOTES = { "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-" };
  var QUOTES_RE = /[\u2018\u2019\u201c\u201d\u00a0\u2013]/g;
  // Python's str.split() whitespace (JavaScript's \s differs)
  var PY_WS = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var NOT_ASCII = /[^\x00-\x7f]/;

  function straighten(text) {
    return NOT_ASCII.test(text) ? text.replace(QUOTES_RE, function (c) { return QUOTES[c]; }) : text;
  }

  function fold(text) {
    if (NOT_ASCII.test(text)) text = text.replace(QUOTES_RE, function (c) { return QUOTES[c]; });
    return text.toLowerCase().split(PY_WS).filter(function (w) { return w !== ""; }).join(" ");
  }

  var REPLY_RX = {
    "[45]": /(?:^|[^0-9A-Za-z_.:\/\[+#=-])([45][0-9][0-9])(?:[ :-]|$)/,
    "2": /(?:^|[^0-9A-Za-z_.:\/\[+#=-])(2[0-9][0-9])(?:[ :-]|$)/
  };
  var STATUS_RX = {};
  ["2", "4", "5", "[245]"].forEach(function (k) {
    STATUS_RX[k] = new RegExp("(?:^|[^0-9A-Za-z_.])(" + k + "\\.[0-7]\\.[0-9]{1,3})(?:[^0-9A-Za-z_.]|$|\\.[^0-9]|\\.$)");
  });

  function first(rx, text) {
    var m = rx.exec(text);
    return m ? m[1] : null;
  }

  // normalize._FAILURE: a failure reply with its enhanced code right behind it, in one search
  var FAILURE_RX = /(?:^|[^0-9A-Za-z_.:\/\[+#=-])([45][0-9][0-9])(?:[ -]([245]\.[0-7]\.[0-9]{1,3})(?:[^0-9A-Za-z_.]|$|\.[^0-9]|\.$)|[ :-]|$)/;

  function codesOf(text) {
    var f = FAILURE_RX.exec(text);
    if (f && f[2] && f[2][0] === f[1][0]) return [parseInt(f[1], 10), f[2]];
    var reply = f ? f[1] : first(REPLY_RX["2"], text);
    var enhanced = null;
    if (reply !== null) enhanced = first(STATUS_RX[reply[0]], text);
    if (enhanced === null) enhanced = first(STATUS_RX["[245]"], text);
    return [reply !== null ? parseInt(reply, 10) : null, enhanced];
  }

  function count(text, sub) {  // Python str.count: non-overlapping occurrences
    return text.split(sub).length - 1;
  }

  function isMultiline(text, reply, enhanced) {
    if (reply === null) return false;
    var code = String(reply);
    return (text.indexOf(code + "-") >= 0 && count(text, code) > 1) ||
      (enhanced !== null && enhanced !== undefined && count(text, enhanced) > 1);
  }

  function reEscape(s) { return s.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); }

  function prefixRx(code, enhanced, global) {
    // Python: (?<![\w.])(?:550(?:-5\.7\.26|-| 5\.7\.26)|5\.7\.26)(?![\w.]) ?  with Unicode \w
    var W = "[\\p{L}\\p{N}_.]";
    var body;
    if (enhanced) {
      var e = reEscape(enhanced);
      body = "(?:" + code + "(?:-" + e + "|-| " + e + ")|" + e + ")";
    } else {
      body = code + "-";
    }
    return new RegExp("(?<!" + W + ")" + body + "(?!" + W + ") ?", global ? "gu" : "u");
  }

  function stripContinuations(folded, reply, enhanced) {
    if (reply === null) return folded;
    if (!isMultiline(folded, reply, enhanced)) return folded;
    var code = String(reply);
    var m = prefixRx(code, enhanced, false).exec(folded);
    if (m === null) return folded;
    var end = m.index + m[0].length;
    return folded.slice(0, end) + folded.slice(end).replace(prefixRx(code, enhanced, true), "");
  }

  // ------------------------------------------------------------------ matcher.py
  function Engine(ix) {
    this.ix = ix;
    BAND = ix.scores.BAND; NOTICE = ix.scores.NOTICE; QUOTED = ix.scores.QUOTED; VAGUE = ix.scores.VAGUE;
    FOLLOW_UP = ix.scores.FOLLOW_UP; COMMON = ix.scores.COMMON; ADJUST = ix.scores.ADJUST;
    this.slots = [];  // [entry index | provider id, weight, RegExp]
    var self = this;
    function compile(src) {
      if (src === null) return null;
      try { return new RegExp(src, "iu"); } catch (e) { return null; }
    }
    ix.patterns.forEach(function (p) {
      var rx = compile(p[1]);
      if (rx) self.slots.push([p[0], p[2], rx, false]);
    });
    ix.hosts.forEach(function (h) {
      var rx = compile(h[1]);
      if (rx) self.slots.push([h[0], h[2], rx, true]);
    });
  }

  Engine.prototype.isHard = function (reason, klass) {
    var rule = this.ix.reasons[reason];
    if (klass === 4) return false;  // vocab.Reason.is_hard: a 4xx reply is never a hard bounce
    return rule === "yes" || rule === "yes unless 4xx";
  };

  // matcher.band: the band of a candidate by what it can say
  function band(kind, reason, replyCode, notice, contradicted, ownNotice) {
    if (kind === "reply") return "reply";
    if (notice && QUOTED.indexOf(reason) >= 0) return "quoted";
    if (VAGUE.indexOf(reason) >= 0) return "vague";
    if (NOTICE.indexOf(reason) >= 0 || ownNotice) return "notice";
    if (kind === "status") return "status";
    if (contradicted) return "contradicted";
    return replyCode && FOLLOW_UP.indexOf(replyCode) >= 0 ? "follow-up" : "message";
  }

  Engine.prototype.score = function (e, spec, rc, enh, seen, notice) {
    var score = Math.min(spec, 300), contradicted = false, rel;
    var code = e.reply_code;
    if (code && rc) {
      rel = code === rc ? "reply-agrees" : code[0] === rc[0] ? "reply-same-class" : "reply-contradicts";
      score += ADJUST[rel];
      contradicted = rel === "reply-contradicts";
    }
    code = e.enhanced_code;
    if (code && enh) {
      if (code === enh) rel = "status-agrees";
      else if (code.slice(1) === enh.slice(1)) rel = "status-other-class";
      else if (code[0] !== enh[0]) rel = "status-contradicts";
      else rel = "status-same-class";
      score += ADJUST[rel];
      // the same condition in the other class (4.2.2 / 5.2.2) is no contradiction
      contradicted = rel === "status-contradicts" ||
        (contradicted && rel !== "status-agrees" && rel !== "status-other-class");
    }
    score += BAND[band("message", e.reason, e.reply_code, notice, contradicted, e.notice === true)];
    if (e.provider !== null && Object.prototype.hasOwnProperty.call(seen, e.provider)) score += ADJUST.provider;
    else if (e.provider === COMMON) score += ADJUST.common;
    return { entry: e, score: score };
  };

  Engine.prototype.explain = function (raw) {
    var ix = this.ix;
    var text = straighten(raw);
    var codes = codesOf(text);
    var rc = codes[0], enh = codes[1];
    var data = text;
    if (isMultiline(text, rc, enh)) data = stripContinuations(fold(text), rc, enh);
    var found = {}, seen = {};
    if (data) {
      for (var i = 0; i < this.slots.length; i++) {
        var s = this.slots[i];
        if (!s[2].test(data)) continue;
        if (s[3]) {
          if (s[1] > (seen[s[0]] || 0)) seen[s[0]] = s[1];
        } else {
          var prev = found[s[0]];
          if (prev === undefined || s[1] > prev) found[s[0]] = s[1];
        }
      }
    }
    var rcS = rc !== null ? String(rc) : null;
    var matches = [];
    var notice = false;  // a giving-up notice matched (matcher.NOTICE)
    for (var n in found) {
      if (Object.prototype.hasOwnProperty.call(found, n) && NOTICE.indexOf(ix.entries[n].reason) >= 0) notice = true;
    }
    for (var k in found) {
      if (Object.prototype.hasOwnProperty.call(found, k)) matches.push(this.score(ix.entries[k], found[k], rcS, enh, seen, notice));
    }
    if (enh) {
      var st = ix.status[enh.slice(2)];
      if (st !== undefined) {
        var se = ix.entries[st], scm = se.classes[enh[0]];
        var sreason = scm && scm[0] ? scm[0] : se.reason;
        matches.push({ entry: se, score: BAND[band("status", sreason, null, notice)] });
      }
    }
    if (rcS) {
      var rp = ix.reply[rcS];
      if (rp !== undefined) matches.push({ entry: ix.entries[rp], score: BAND.reply });
    }
    matches.sort(function (a, b) {
      if (a.score !== b.score) return b.score - a.score;
      return a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0;
    });
    return this.result(raw, rc, enh, matches, seen);
  };

  Engine.prototype.result = function (raw, rc, enh, matches, seen) {
    var provider = null, pw = -1;
    for (var p in seen) {
      if (!Object.prototype.hasOwnProperty.call(seen, p)) continue;
      if (seen[p] > pw || (seen[p] === pw && p > provider)) { provider = p; pw = seen[p]; }
    }
    var base = { text: raw, reply_code: rc, enhanced_code: enh, provider: provider, matches: matches };
    if (!matches.length) {
      base.reason = "undefined"; base.hard_bounce = false; base.action = null; base.best = null;
      return base;
    }
    var best = matches[0].entry;
    var reason = best.reason, action = best.action;
    var cm = best.kind === "status" && enh ? best.classes[enh[0]] : undefined;
    if (cm) {
      reason = cm[0] || reason; action = cm[1] || action;
    } else if (best.kind === "message" && best.provider !== COMMON) {
      provider = best.provider;
    }
    var hard;
    if (best.hard_override !== null) hard = best.hard_override;
    else {
      // Entry.reading: the text's class, else the entry's own reply code's
      var klass = rc !== null ? Math.floor(rc / 100) : enh ? parseInt(enh[0], 10)
        : best.reply_code ? parseInt(best.reply_code[0], 10) : null;
      hard = this.isHard(reason, klass);
    }
    base.best = best; base.reason = reason; base.action = action; base.hard_bounce = hard; base.provider = provider;
    return base;
  };

  // ------------------------------------------------------------------ the page
  function siteBase() {
    var el = document.getElementById("__config");
    var base = ".";
    try { if (el) base = JSON.parse(el.textContent).base || "."; } catch (e) { /* default */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }

  function render(out, r, ix, base) {
    out.textContent = "";
    if (!r.best) {
      var none = el("p", "sg-none", "No entry explains this text yet. ");
      var rep = el("a", null, "Report it (redacted) so it can be added");
      rep.setAttribute("href", "https://github.com/smtpguide/smtpguide/issues/new?template=new-message.yml&title=" +
        encodeURIComponent("New message: " + r.text.split("\n")[0].slice(0, 80)));
      none.appendChild(rep);
      out.appendChild(none);
      return;
    }
    var card = el("div", "sg-result");
    var h = el("p", "sg-result-title");
    var link = el("a", null, r.best.title);
    link.setAttribute("href", new URL(r.best.url, base).href);
    h.appendChild(link);
    card.appendChild(h);
    var dl = el("dl", "sg-verdict");
    function row(k, v, cls) {
      dl.appendChild(el("dt", null, k));
      var dd = el("dd", cls || null);
      if (v instanceof Node) dd.appendChild(v); else dd.textContent = v;
      dl.appendChild(dd);
    }
    var codes = [r.reply_code, r.enhanced_code].filter(function (c) { return c !== null; }).join(" ");
    row("Codes", codes || "none found");
    if (r.provider) row("Provider", ix.providers[r.provider] || r.provider);
    var ra = el("a", null, r.reason);
    ra.setAttribute("href", new URL("reasons/" + encodeURIComponent(r.reason) + "/", base).href);
    row("Reason", ra);
    var badge = el("span", "sg-badge " + (r.hard_bounce ? "sg-hard" : "sg-soft"),
      r.hard_bounce ? "Hard bounce" : "Soft (not a verdict on the address)");
    row("Verdict", badge);
    if (r.action) row("Do", ix.actions[r.action] || r.action);
    card.appendChild(dl);
    out.appendChild(card);
    if (r.matches.length > 1) {
      out.appendChild(el("p", "sg-also", "Also relevant:"));
      var ul = el("ul", "sg-list");
      r.matches.slice(1, 5).forEach(function (m) {
        var li = el("li");
        var a = el("a", null, m.entry.title);
        a.setAttribute("href", new URL(m.entry.url, base).href);
        li.appendChild(a);
        ul.appendChild(li);
      });
      out.appendChild(ul);
    }
  }

  var enginePromise = null;
  function engine(base) {
    if (!enginePromise) {
      enginePromise = fetch(new URL("api/v1/paste-index.json", base).href)
        .then(function (r) { if (!r.ok) throw new Error("paste index: HTTP " + r.status); return r.json(); })
        .then(function (ix) { return new Engine(ix); });
    }
    return enginePromise;
  }

  function init() {
    var boxes = document.querySelectorAll("[data-sg-paste]");
    if (!boxes.length) return;
    var base = siteBase();
    boxes.forEach(function (box) {
      if (box.getAttribute("data-sg-ready")) return;
      box.setAttribute("data-sg-ready", "1");
      var input = box.querySelector("textarea");
      var out = box.querySelector(".sg-paste-results");
      var update = function () {
        var text = input.value;
        if (!text.trim()) { out.textContent = ""; return; }
        engine(base).then(function (eng) {
          if (input.value !== text) return;
          render(out, eng.explain(text), eng.ix, base);
        }).catch(function (err) { out.textContent = "The paste box could not load its index (" + err.message + ")."; });
      };
      input.addEventListener("input", update);
      engine(base);  // load the index as soon as the page shows a box
      if (input.value) update();
    });
  }

  // Exposed for the parity tests (tests/test_paste_parity.py runs this file in Node and Chromium).
  var api = { Engine: Engine, fold: fold, straighten: straighten, codesOf: codesOf, stripContinuations: stripContinuations };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    window.smtpguidePaste = api;
    if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(init);
    else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
  }
})();
