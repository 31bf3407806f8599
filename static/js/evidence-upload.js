/* ZI Portal — evidence uploads: drag-and-drop and an upload progress bar.
 * Vanilla JS, no inline scripts (CSP-friendly). Works on any .ev-upload-form on the page, also
 * inside panels swapped in later by htmx, through listeners on the document. Without JavaScript
 * the same forms still post normally. The server checks everything again (size, type, name). */
(function () {
  "use strict";
  if (window.ziEvidenceUpload) { return; }  // the panel fragment may load this file more than once
  window.ziEvidenceUpload = true;
  document.documentElement.classList.add("ev-js");

  function formOf(el) { return el && el.closest ? el.closest(".ev-upload-form") : null; }

  function show(el, text) {
    if (!el) { return; }
    el.textContent = text || "";
    el.hidden = !text;
  }

  function sizeLabel(bytes) {
    if (bytes >= 1048576) { return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB"; }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function swapPanel(form, html) {
    var panel = form.closest(".ev-panel");
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.querySelector(".ev-panel");
    if (!panel || !fresh) { return false; }
    panel.replaceWith(fresh);
    if (window.htmx) { window.htmx.process(fresh); }
    var status = fresh.querySelector("[role=alert], [role=status]");
    if (status) { status.setAttribute("tabindex", "-1"); status.focus({ preventScroll: false }); }
    return true;
  }

  function send(form, fileList) {
    var files = Array.prototype.slice.call(fileList || []);
    var errorBox = form.querySelector(".ev-client-error");
    var box = form.querySelector(".ev-progress");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector(".ev-progress-text");
    var max = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var maxLabel = form.getAttribute("data-max-label") || "";
    var single = form.classList.contains("ev-replace");
    show(errorBox, "");
    if (!files.length || form.classList.contains("ev-busy")) { return; }
    if (single && files.length > 1) {
      show(errorBox, "Pilih satu berkas untuk mengganti data dukung.");
      return;
    }
    var tooBig = files.filter(function (f) { return max && f.size > max; });
    var empty = files.filter(function (f) { return f.size === 0; });
    var ok = files.filter(function (f) { return f.size > 0 && !(max && f.size > max); });
    var notes = [];
    if (tooBig.length) {
      notes.push(tooBig.map(function (f) { return "“" + f.name + "” (" + sizeLabel(f.size) + ")"; }).join(", ") +
        " melebihi batas " + maxLabel + " dan tidak diunggah.");
    }
    if (empty.length) {
      notes.push(empty.map(function (f) { return "“" + f.name + "”"; }).join(", ") + " kosong (0 byte) dan tidak diunggah.");
    }
    show(errorBox, notes.join(" "));
    if (!ok.length) { return; }

    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var data = new FormData();
    if (token) { data.append("csrfmiddlewaretoken", token.value); }  // fields before files: parsed first
    ok.forEach(function (f) { data.append("files", f, f.name); });

    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("HX-Request", "true");  // the server answers with the refreshed panel
    if (token) { xhr.setRequestHeader("X-CSRFToken", token.value); }
    form.classList.add("ev-busy");
    if (box) { box.hidden = false; }
    if (bar) { bar.value = 0; }
    show(text, "Mengunggah " + ok.length + " berkas… 0%");

    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var pct = Math.floor(100 * e.loaded / e.total);
      if (bar) { bar.value = pct; }
      show(text, "Mengunggah " + ok.length + " berkas… " + pct + "% (" + sizeLabel(e.loaded) + " dari " + sizeLabel(e.total) + ")");
    });
    xhr.upload.addEventListener("load", function () {
      if (bar) { bar.value = 100; }
      show(text, "Memeriksa berkas…");
    });
    xhr.addEventListener("load", function () {
      form.classList.remove("ev-busy");
      var isPanel = xhr.status === 200 || xhr.status === 400;
      if (isPanel && swapPanel(form, xhr.responseText)) { return; }
      if (box) { box.hidden = true; }
      var message = {
        403: "Anda tidak berwenang mengunggah, atau data dukung sudah terkunci. Muat ulang halaman.",
        404: "Pertanyaan atau data dukung tidak ditemukan. Muat ulang halaman.",
        413: "Berkas terlalu besar untuk diterima server."
      }[xhr.status] || ("Unggahan gagal (kode " + xhr.status + "). Coba lagi.");
      show(errorBox, message);
    });
    xhr.addEventListener("error", function () {
      form.classList.remove("ev-busy");
      if (box) { box.hidden = true; }
      show(errorBox, "Koneksi terputus; unggahan gagal. Periksa jaringan lalu coba lagi.");
    });
    xhr.send(data);
  }

  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.classList || !input.classList.contains("ev-file-input")) { return; }
    var form = formOf(input);
    if (form) { send(form, input.files); input.value = ""; }
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("ev-upload-form")) { return; }
    e.preventDefault();
    var input = form.querySelector(".ev-file-input");
    send(form, input && input.files);
  });

  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var form = formOf(e.target);
      if (!form) { return; }
      e.preventDefault();  // allow dropping here
      if (e.dataTransfer) { e.dataTransfer.dropEffect = "copy"; }
      form.classList.add("ev-over");
    });
  });
  document.addEventListener("dragleave", function (e) {
    var form = formOf(e.target);
    if (form && !form.contains(e.relatedTarget)) { form.classList.remove("ev-over"); }
  });
  document.addEventListener("drop", function (e) {
    var form = formOf(e.target);
    if (!form) { return; }
    e.preventDefault();
    form.classList.remove("ev-over");
    if (e.dataTransfer && e.dataTransfer.files) { send(form, e.dataTransfer.files); }
  });
})();
