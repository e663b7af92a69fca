/* Sinmun reader script (vanilla, loaded with defer). Every page works without it; this adds:
   1. font-size steps applied instantly and remembered (localStorage + cookie `fs` the server reads),
   2. reactions sent with fetch and counts updated in place,
   3. the live market ticker: one EventSource per browser, shared between tabs (Web Locks leader
      election + BroadcastChannel), following docs/market-stream.md.
   No inline styles: all visual state is classes and attributes styled by site.css (the CSP). */
(function () {
  'use strict';

  var doc = document;
  var root = doc.documentElement;
  var STEPS = 5;

  /* ---------------------------------------------------------------- 1. font size */
  var FS_KEY = 'sinmun.fs';

  function validStep(v) {
    var n = parseInt(v, 10);
    return n >= 0 && n < STEPS && String(n) === String(v) ? n : null;
  }
  function cookieStep() {
    var m = /(?:^|;\s*)fs=([0-9])/.exec(doc.cookie);
    return m ? validStep(m[1]) : null;
  }
  function storedStep() {
    try { return validStep(window.localStorage.getItem(FS_KEY)); } catch (e) { return null; }
  }
  function applyStep(n) {
    for (var i = 0; i < STEPS; i++) root.classList.remove('fs-' + i);
    root.classList.add('fs-' + n);
    var buttons = doc.querySelectorAll('.fs-btn');
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].setAttribute('aria-pressed', String(validStep(buttons[j].value) === n));
    }
  }
  function saveStep(n) {
    try { window.localStorage.setItem(FS_KEY, String(n)); } catch (e) { /* private mode */ }
    doc.cookie = 'fs=' + n + '; Path=/; Max-Age=31536000; SameSite=Lax';
  }

  (function initFontSize() {
    var stored = storedStep();
    // The server rendered from the cookie; if this browser remembers something else, it wins.
    if (stored !== null && stored !== cookieStep()) {
      saveStep(stored);
      applyStep(stored);
    }
    var forms = doc.querySelectorAll('form.font-size');
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener('click', function (e) {
        var btn = e.target.closest ? e.target.closest('.fs-btn') : null;
        if (!btn) return;
        var n = validStep(btn.value);
        if (n === null) return;
        e.preventDefault();
        applyStep(n);
        saveStep(n);
      });
    }
  })();

  /* ---------------------------------------------------------------- 2. reactions */
  (function initReactions() {
    var form = doc.querySelector('form.reactions[data-article-id]');
    if (!form || !window.fetch || !window.JSON) return;
    var url = '/api/v1/articles/' + encodeURIComponent(form.getAttribute('data-article-id')) + '/reactions';
    var msg = form.querySelector('.reactions-msg');
    var busy = false;
    var msgTimer = 0;

    function say(text) {
      if (!msg) return;
      msg.textContent = text;
      clearTimeout(msgTimer);
      if (text) msgTimer = setTimeout(function () { msg.textContent = ''; }, 4000);
    }
    function apply(state) {
      if (!state || !state.counts) return;
      var mine = Array.isArray(state.mine) ? state.mine : [];
      var buttons = form.querySelectorAll('button.reaction[data-kind]');
      for (var i = 0; i < buttons.length; i++) {
        var kind = buttons[i].getAttribute('data-kind');
        var n = Number(state.counts[kind]);
        var count = buttons[i].querySelector('.reaction-count');
        if (count && isFinite(n)) count.textContent = n.toLocaleString('ko-KR');
        buttons[i].setAttribute('aria-pressed', String(mine.indexOf(kind) >= 0));
      }
    }

    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(apply)
      .catch(function () { /* keep the server-rendered counts */ });

    form.addEventListener('click', function (e) {
      var btn = e.target.closest ? e.target.closest('button.reaction') : null;
      if (!btn) return;
      e.preventDefault();
      if (busy) return;
      busy = true;
      var on = btn.getAttribute('aria-pressed') !== 'true';
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ kind: btn.getAttribute('data-kind'), on: on })
      }).then(function (r) {
        if (r.status === 429) { say('잠시 후 다시 시도해 주세요.'); return null; }
        if (!r.ok) { say('반응을 저장하지 못했습니다.'); return null; }
        say('');
        return r.json();
      }).then(apply).catch(function () {
        say('네트워크 오류로 반응을 저장하지 못했습니다.');
      }).then(function () { busy = false; });
    });
  })();

  /* ---------------------------------------------------------------- 3. live ticker */
  (function initTicker() {
    var cryptoBox = doc.getElementById('crypto-widget');
    var stockBox = doc.getElementById('stocks-widget');
    if ((!cryptoBox && !stockBox) || !window.EventSource || !window.JSON) return;

    var reduceMotion = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
    var paused = false;
    var pending = { crypto: {}, stocks: null, meta: null };  // latest values while paused

    var pauseBtn = cryptoBox ? cryptoBox.querySelector('.ticker-pause') : null;
    if (pauseBtn) {
      pauseBtn.hidden = false;  // WCAG 2.2.2: moving content can be paused
      pauseBtn.addEventListener('click', function () {
        paused = !paused;
        pauseBtn.setAttribute('aria-pressed', String(paused));
        pauseBtn.textContent = paused ? '다시 시작' : '일시정지';
        if (!paused) flushPending();
      });
    }

    function q(el, sel) { return el ? el.querySelector(sel) : null; }
    function setText(el, text) { if (el && el.textContent !== text) el.textContent = text; }
    function arrow(dir) { return dir === 'up' ? '▲' : dir === 'down' ? '▼' : ''; }
    function setDir(el, dir) {
      el.classList.remove('dir-up', 'dir-down', 'dir-flat', 'dir-none');
      el.classList.add('dir-' + (dir || 'none'));
    }
    function flash(cell, tick) {
      if (paused || (reduceMotion && reduceMotion.matches)) return;
      if (tick !== 'up' && tick !== 'down') return;
      cell.classList.remove('flash-up', 'flash-down');
      void cell.offsetWidth;  // restart the animation
      cell.classList.add('flash-' + tick);
      setTimeout(function () { cell.classList.remove('flash-' + tick); }, 650);
    }
    function findRow(box, code) {
      var rows = box.querySelectorAll('tr[data-code]');
      for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute('data-code') === code) return rows[i];
      return null;
    }
    function cell(tag, cls, text) {
      var el = doc.createElement(tag);
      el.className = cls;
      if (text !== undefined) el.textContent = text;
      return el;
    }
    function newCryptoRow(r) {
      var tr = cell('tr', 'quote-row');
      tr.setAttribute('data-code', r.code);
      var th = cell('th', 'q-name', r.name || r.code);
      th.setAttribute('scope', 'row');
      var stale = cell('span', 'q-stale', '지연');
      stale.hidden = true;
      th.appendChild(stale);
      var change = cell('td', 'q-change');
      var ar = cell('span', 'q-arrow');
      ar.setAttribute('aria-hidden', 'true');
      change.appendChild(ar);
      change.appendChild(cell('span', 'q-rate'));
      var isNew = cell('span', 'q-new', '신규');
      isNew.hidden = true;
      change.appendChild(isNew);
      tr.appendChild(th);
      tr.appendChild(cell('td', 'q-price'));
      tr.appendChild(change);
      var body = q(cryptoBox, 'tbody.quote-rows');
      if (body) body.appendChild(tr);
      var empty = q(cryptoBox, '.widget-empty');
      if (empty) empty.hidden = true;
      return tr;
    }
    function applyCryptoRow(r, animate) {
      if (!cryptoBox || !r || !r.code) return;
      var tr = findRow(cryptoBox, r.code) || newCryptoRow(r);
      var price = q(tr, '.q-price');
      var changed = price && price.textContent !== r.price_text;
      setText(price, r.price_text || '');
      setText(q(tr, '.q-rate'), r.chg_ppm === null || r.chg_ppm === undefined ? '—' : (r.chg_text || ''));
      setText(q(tr, '.q-arrow'), arrow(r.dir));
      setDir(tr, r.dir);
      var isNew = q(tr, '.q-new');
      if (isNew) isNew.hidden = !(r.chg_ppm === null || r.chg_ppm === undefined);
      var stale = q(tr, '.q-stale');
      if (stale) stale.hidden = !r.stale;
      tr.classList.toggle('is-stale', !!r.stale);
      tr.setAttribute('data-tick', r.tick || 'flat');
      if (animate && changed && price) flash(price, r.tick);
    }
    function applyMeta(m) {
      if (!cryptoBox || !m) return;
      if (m.asof) {
        var t = q(cryptoBox, '.q-asof');
        if (t) { t.setAttribute('datetime', m.asof); setText(t, m.asof.substr(11, 8)); }
      }
      if (m.basis) setText(q(cryptoBox, '.q-basis'), m.basis);
    }
    function applyStocks(s) {
      if (!stockBox || !s) return;
      if (s.marker !== undefined) setText(q(stockBox, '.krx-marker'), s.marker || '');
      if (s.state) stockBox.setAttribute('data-state', s.state);
      if (s.source) setText(q(stockBox, '.s-source'), s.source);
      var body = q(stockBox, 'tbody.stock-rows');
      if (!body || !Array.isArray(s.rows)) return;
      // The list is whole on every event (gainers re-rank), so rebuild it; text only, never HTML.
      var frag = doc.createDocumentFragment();
      s.rows.forEach(function (r) {
        var tr = cell('tr', 'stock-row');
        tr.setAttribute('data-code', r.code);
        setDir(tr, r.dir);
        var th = cell('th', 's-name', r.name || r.code);
        th.setAttribute('scope', 'row');
        if (r.market) th.appendChild(cell('span', 's-market', r.market));
        var change = cell('td', 's-change');
        var ar = cell('span', 's-arrow', arrow(r.dir));
        ar.setAttribute('aria-hidden', 'true');
        change.appendChild(ar);
        change.appendChild(cell('span', 's-rate', r.chg_ppm === null || r.chg_ppm === undefined ? '—' : r.chg_text));
        if (r.limit_up) change.appendChild(cell('span', 'badge limit-badge', '상한가'));
        tr.appendChild(th);
        tr.appendChild(cell('td', 's-price', r.price_text || ''));
        tr.appendChild(change);
        frag.appendChild(tr);
      });
      while (body.firstChild) body.removeChild(body.firstChild);
      body.appendChild(frag);
      var empty = q(stockBox, '.widget-empty');
      if (empty) empty.hidden = s.rows.length > 0;
    }
    function flushPending() {
      Object.keys(pending.crypto).forEach(function (code) { applyCryptoRow(pending.crypto[code], false); });
      applyMeta(pending.meta);
      applyStocks(pending.stocks);
      pending = { crypto: {}, stocks: null, meta: null };
    }

    function onEvent(type, d) {
      if (!d) return;
      var rows = [], meta = null, stocks = null;
      if (type === 'snapshot') {
        if (d.crypto) { rows = d.crypto.rows || []; meta = { asof: d.asof, basis: d.crypto.basis }; }
        if (d.stocks) stocks = d.stocks;
        if (cryptoBox) cryptoBox.classList.toggle('is-demo', !!d.demo);
      } else if (type === 'crypto') {
        rows = d.rows || [];
        meta = { asof: d.asof };
      } else if (type === 'stocks') {
        stocks = d;
      } else {
        return;
      }
      if (paused) {
        rows.forEach(function (r) { if (r && r.code) pending.crypto[r.code] = r; });
        if (meta) pending.meta = meta;
        if (stocks) pending.stocks = stocks;
        return;
      }
      rows.forEach(function (r) { applyCryptoRow(r, type !== 'snapshot'); });
      applyMeta(meta);
      applyStocks(stocks);
    }

    /* One connection per browser: the tab holding the lock reads the stream and rebroadcasts;
       the others listen on the channel. When the leader closes, the lock passes to another tab. */
    var EVENTS = ['snapshot', 'crypto', 'stocks'];
    var last = null;  // the leader's merged latest snapshot, for tabs that join later

    function merge(type, d) {
      if (type === 'snapshot') { last = d; return; }
      if (!last) return;
      last.seq = d.seq;
      last.asof = d.asof || last.asof;
      if (type === 'crypto' && last.crypto && Array.isArray(last.crypto.rows)) {
        (d.rows || []).forEach(function (r) {
          var rs = last.crypto.rows, found = false;
          for (var i = 0; i < rs.length; i++) if (rs[i].code === r.code) { rs[i] = r; found = true; }
          if (!found) rs.push(r);
        });
      } else if (type === 'stocks') {
        last.stocks = { marker: d.marker, state: d.state, source: (last.stocks || {}).source, rows: d.rows };
      }
    }
    function openSource(channel) {
      var es = new EventSource('/stream/market');
      EVENTS.forEach(function (type) {
        es.addEventListener(type, function (e) {
          var d;
          try { d = JSON.parse(e.data); } catch (err) { return; }
          onEvent(type, d);
          if (channel) {
            merge(type, d);
            channel.postMessage({ type: type, data: d });
          }
        });
      });
      return es;
    }

    // This tab's part, for diagnostics and tests: leader (reads the stream for every tab),
    // follower (listens on the channel) or standalone (its own stream).
    function role(r) { (cryptoBox || stockBox).setAttribute('data-stream-role', r); }

    var canShare = typeof BroadcastChannel === 'function' && navigator.locks &&
                   typeof navigator.locks.request === 'function';
    if (!canShare) {
      role('standalone');
      openSource(null);
      return;
    }
    role('follower');
    var channel = new BroadcastChannel('sinmun-market');
    var leader = false;
    var heard = false;  // a leader spoke on the channel
    var own = null;     // this tab's own EventSource while standalone
    channel.onmessage = function (m) {
      var msg = m.data;
      if (!msg || typeof msg !== 'object') return;
      if (msg.type === 'hello') {
        if (!leader) return;
        channel.postMessage({ type: 'leader' });
        if (last) channel.postMessage({ type: 'snapshot', data: last });
        return;
      }
      if (leader) return;
      heard = true;
      if (own) {
        // A leader exists after all: drop our own connection and follow it (one per browser).
        own.close();
        own = null;
        role('follower');
        channel.postMessage({ type: 'hello' });  // the leader answers with its merged snapshot
      }
      if (msg.type !== 'leader') onEvent(msg.type, msg.data);
    };
    // The lock is held for as long as this tab lives; when the leader's tab closes, the browser
    // grants it to the next waiting tab, which opens the stream (a fresh snapshot) and leads.
    navigator.locks.request('sinmun-market-leader', function () {
      leader = true;
      if (own) { own.close(); own = null; }
      role('leader');
      openSource(channel);
      return new Promise(function () { /* held until this tab goes away */ });
    }).catch(function () { /* the lock manager refused: the timer below reads directly */ });
    channel.postMessage({ type: 'hello' });
    // Neither the lock nor a leader's answer within 2.5 s (a browser that never grants locks, or
    // a leader too busy to answer): read the stream directly rather than stay frozen, and keep
    // waiting for the lock or a leader, whichever comes first.
    setTimeout(function () {
      if (leader || heard) return;
      role('standalone');
      own = openSource(null);
    }, 2500);
  })();
})();
