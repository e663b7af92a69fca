// Sinmun newsroom: progressive enhancement of the server-rendered admin pages.
// - every fetch carries X-CSRF-Token (from <meta name="csrf-token">)
// - editor: live preview rendered by the server (debounced 400 ms), autosave to localStorage
//   (restored with a notice) and, for drafts, to the server (sendBeacon on pagehide), photo upload
//   by fetch with the pipeline's refusal message, "본문에 넣기" at the cursor, rewrite dialog.
// The body is a native <textarea>: nothing here touches its value while the user composes Hangul
// (no keydown handlers, no re-writing of the value on input), so IME composition stays intact.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  // Fill every csrf hidden field (the server renders them too; this covers cached forms).
  Array.prototype.forEach.call(document.querySelectorAll('input[name="csrf"]'), function (el) {
    if (!el.value && csrf) el.value = csrf;
  });

  var form = document.getElementById('editor-form');
  if (!form) return;

  var body = document.getElementById('body_md');
  var preview = document.getElementById('preview');
  var versionInput = document.getElementById('version');
  var versionText = document.getElementById('version-text');
  var statusEl = document.getElementById('autosave-status');
  var articleId = form.getAttribute('data-article-id') || '0';
  var serverAutosave = form.getAttribute('data-autosave') === '1' && articleId !== '0';
  var storageKey = 'sinmun:draft:' + articleId;
  var composing = false;

  function say(text) { if (statusEl) statusEl.textContent = text; }
  function setVersion(v) {
    if (v === undefined || v === null) return;
    versionInput.value = String(v);
    if (versionText) versionText.textContent = String(v);
  }
  function formParams() {
    var p = new URLSearchParams();
    var fd = new FormData(form);
    fd.forEach(function (value, key) { if (typeof value === 'string') p.append(key, value); });
    p.set('csrf', csrf);
    return p;
  }
  function snapshot() {
    var o = {};
    ['headline', 'subtitle', 'body_md'].forEach(function (n) { o[n] = form.elements[n].value; });
    o.version = versionInput.value;
    o.at = Date.now();
    return o;
  }

  // --- live preview -------------------------------------------------------------------------
  var previewTimer = null;
  var previewSeq = 0;
  function refreshPreview() {
    if (!preview) return;
    var seq = ++previewSeq;
    fetch('/admin/preview', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf },
      body: formParams().toString(),
      credentials: 'same-origin'
    }).then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
      .then(function (res) {
        if (seq !== previewSeq) return;  // a newer preview is on its way
        if (res.ok) preview.innerHTML = res.text;
      }).catch(function () {});
  }
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 400);
  }

  // --- autosave -----------------------------------------------------------------------------
  var saveTimer = null;
  var dirty = false;
  function saveLocal() {
    try { localStorage.setItem(storageKey, JSON.stringify(snapshot())); } catch (e) {}
  }
  function saveServer(useBeacon) {
    if (!serverAutosave || !dirty) return;
    var params = formParams();
    if (useBeacon && navigator.sendBeacon) {
      var blob = new Blob([params.toString()], { type: 'application/x-www-form-urlencoded' });
      navigator.sendBeacon('/admin/articles/' + articleId + '/autosave', blob);
      return;
    }
    fetch('/admin/articles/' + articleId + '/autosave', {
      method: 'POST', keepalive: true, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf },
      body: params.toString()
    }).then(function (r) { return r.json().then(function (j) { return { status: r.status, json: j }; }); })
      .then(function (res) {
        if (res.status === 200 && res.json.saved) {
          setVersion(res.json.version);
          dirty = false;
          say('자동 저장됨 ' + (res.json.saved_at || ''));
        } else if (res.status === 409) {
          say('다른 사람이 먼저 수정했습니다. 새로 고쳐 주세요.');
        } else if (res.json && res.json.error) {
          say('자동 저장 실패: ' + res.json.error.message);
        }
      }).catch(function () { say('자동 저장 실패: 연결을 확인해 주세요.'); });
  }
  function onEdit() {
    dirty = true;
    schedulePreview();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () { saveLocal(); saveServer(false); }, 3000);
  }
  form.addEventListener('input', function (e) {
    // Composition in progress: the text is not final yet; save when it ends.
    if (e.isComposing || composing) return;
    onEdit();
  });
  form.addEventListener('compositionstart', function () { composing = true; });
  form.addEventListener('compositionend', function () { composing = false; onEdit(); });
  form.addEventListener('change', onEdit);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') { saveLocal(); saveServer(true); }
  });
  window.addEventListener('pagehide', function () { saveLocal(); saveServer(true); });
  form.addEventListener('submit', function () {
    // The server has it now (or will say why not): the local copy is no longer needed.
    try { localStorage.removeItem(storageKey); } catch (e) {}
    dirty = false;
  });

  // Restore a local copy that differs from what the server rendered.
  try {
    var saved = JSON.parse(localStorage.getItem(storageKey) || 'null');
    if (saved) {
      var differs = ['headline', 'subtitle', 'body_md'].some(function (n) {
        return saved[n] !== undefined && saved[n] !== form.elements[n].value;
      });
      if (differs && saved.version === versionInput.value) {
        ['headline', 'subtitle', 'body_md'].forEach(function (n) {
          if (saved[n] !== undefined) form.elements[n].value = saved[n];
        });
        dirty = true;
        var note = document.createElement('p');
        note.className = 'flash flash-notice';
        note.id = 'restored-notice';
        note.setAttribute('role', 'status');
        note.textContent = '저장하지 않은 내용을 이 브라우저에서 복구했습니다 (' +
          new Date(saved.at).toLocaleString('ko-KR') + '). 저장을 눌러야 서버에 반영됩니다.';
        form.parentNode.insertBefore(note, form);
      } else if (!differs) {
        localStorage.removeItem(storageKey);
      }
    }
  } catch (e) {}

  // --- photos -------------------------------------------------------------------------------
  function insertAtCursor(text) {
    body.focus();
    var start = body.selectionStart, end = body.selectionEnd, v = body.value;
    var before = v.slice(0, start), after = v.slice(end);
    // A photo is its own paragraph.
    var pre = before === '' || /\n\n$/.test(before) ? '' : (/\n$/.test(before) ? '\n' : '\n\n');
    var post = after === '' || /^\n\n/.test(after) ? '' : (/^\n/.test(after) ? '\n' : '\n\n');
    var insert = pre + text + post;
    if (typeof body.setRangeText === 'function') {
      body.setRangeText(insert, start, end, 'end');
    } else {
      body.value = before + insert + after;
    }
    onEdit();
  }
  function photoMarkdown(id) {
    var alt = form.elements['photo_alt_' + id];
    var a = alt ? alt.value.replace(/[\[\]]/g, '') : '';
    return '![' + a + '](photo:' + id + ')';
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    if (t.classList.contains('insert-photo')) {
      e.preventDefault();
      insertAtCursor(photoMarkdown(t.getAttribute('data-photo-id')));
    } else if (t.classList.contains('remove-photo')) {
      e.preventDefault();
      var row = t.closest('.photo-row');
      if (row) row.parentNode.removeChild(row);
      onEdit();
    }
  });
  function addPhotoRow(p) {
    var list = document.getElementById('photo-list');
    var row = document.createElement('div');
    row.className = 'photo-row';
    row.setAttribute('data-photo-id', String(p.id));
    function input(name, value, label) {
      var l = document.createElement('label');
      l.textContent = label + ' ';
      var i = document.createElement('input');
      i.type = 'text'; i.name = name; i.value = value || '';
      l.appendChild(i);
      return l;
    }
    var hidden = document.createElement('input');
    hidden.type = 'hidden'; hidden.name = 'photo_id'; hidden.value = String(p.id);
    var img = document.createElement('img');
    img.src = p.src; img.alt = ''; img.width = 120; img.height = 80; img.className = 'photo-thumb';
    var fields = document.createElement('div');
    fields.className = 'photo-fields';
    fields.appendChild(input('photo_caption_' + p.id, p.caption, '설명(캡션)'));
    fields.appendChild(input('photo_alt_' + p.id, p.alt, '대체 텍스트'));
    fields.appendChild(input('photo_credit_' + p.id, p.credit, '출처'));
    var actions = document.createElement('div');
    actions.className = 'photo-actions';
    var ins = document.createElement('button');
    ins.type = 'button'; ins.className = 'btn btn-small insert-photo';
    ins.setAttribute('data-photo-id', String(p.id)); ins.textContent = '본문에 넣기';
    var rm = document.createElement('button');
    rm.type = 'button'; rm.className = 'btn btn-small remove-photo';
    rm.setAttribute('data-photo-id', String(p.id)); rm.textContent = '빼기';
    actions.appendChild(ins); actions.appendChild(rm);
    row.appendChild(hidden); row.appendChild(img); row.appendChild(fields); row.appendChild(actions);
    list.appendChild(row);
  }
  var upload = document.getElementById('upload-form');
  if (upload) {
    var msg = document.getElementById('upload-message');
    upload.addEventListener('submit', function (e) {
      e.preventDefault();
      var fd = new FormData(upload);
      fd.set('csrf', csrf);
      msg.textContent = '올리는 중…';
      msg.className = 'upload-message';
      fetch(upload.action, {
        method: 'POST', body: fd, credentials: 'same-origin',
        headers: { 'X-CSRF-Token': csrf, 'Accept': 'application/json' }
      }).then(function (r) {
        return r.json().catch(function () { return { error: { message: '서버 응답을 읽을 수 없습니다 (' + r.status + ').' } }; })
          .then(function (j) { return { status: r.status, json: j }; });
      }).then(function (res) {
        if (res.status === 201 && res.json.photo) {
          addPhotoRow(res.json.photo);
          setVersion(res.json.version);
          msg.textContent = '사진을 올렸습니다. "본문에 넣기"로 원하는 곳에 넣으세요.';
          upload.reset();
          schedulePreview();
        } else if (res.status === 413) {
          msg.textContent = '파일이 너무 큽니다.';
          msg.className = 'upload-message error';
        } else {
          msg.textContent = (res.json.error && res.json.error.message) || '올리지 못했습니다.';
          msg.className = 'upload-message error';
        }
      }).catch(function () {
        msg.textContent = '올리지 못했습니다. 연결을 확인해 주세요.';
        msg.className = 'upload-message error';
      });
    });
  }

  // The rewrite confirmation arrives as an open <dialog>: make it modal when supported.
  var dialog = document.getElementById('rewrite-dialog');
  if (dialog && typeof dialog.showModal === 'function') {
    try { dialog.close(); dialog.showModal(); } catch (e) {}
  }
  // Confirm destructive actions.
  var unpub = document.getElementById('unpublish-form');
  if (unpub) unpub.addEventListener('submit', function (e) {
    if (!window.confirm('게재를 중단하면 독자는 이 기사를 볼 수 없습니다 (410). 계속할까요?')) e.preventDefault();
  });

  refreshPreview();
})();
