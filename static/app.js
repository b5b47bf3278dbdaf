/* Portal enhancements: show-password toggle, idle-session warning, focus after page changes. */
(() => {
  'use strict';

  // Controls needed only without JavaScript (class no-js) hide once this runs.
  document.documentElement.classList.add('js');

  const SHOW_PASSWORD = 'input[data-show-password]';
  let sessionTimer = 0;
  const loaded = [];

  const within = (root, selector) => (root.matches(selector) ? root : root.querySelector(selector));

  function applyShowPassword(toggle) {
    toggle.dataset.showPassword.split(/\s+/).forEach((id) => {
      const input = document.getElementById(id);
      if (input) input.type = toggle.checked ? 'text' : 'password';
    });
  }

  function watchSession() {
    clearInterval(sessionTimer);
    const note = document.querySelector('.session-note[data-expires-in]');
    if (!note) return;
    // Count from the server's "seconds left", not its clock: cheap phones often have the wrong time.
    const expires = Date.now() / 1000 + Number(note.dataset.expiresIn);
    const warnFrom = expires - Number(note.dataset.warnSeconds || 120);
    const check = () => {
      const now = Date.now() / 1000;
      if (now >= expires && note.dataset.expiredUrl) {
        clearInterval(sessionTimer);
        window.location.assign(note.dataset.expiredUrl);
        return;
      }
      const warning = document.querySelector('.session-warning');
      const due = now >= warnFrom;
      // Act only on a change, so focus is not pulled back every 15 s; a renewed session hides it again.
      if (warning && warning.hidden === due) {
        warning.hidden = !due;
        if (due) warning.focus();
      }
    };
    check();
    sessionTimer = setInterval(check, 15000);
  }

  function focusNewContent(roots) {
    const summary = roots.map((root) => within(root, '.error-summary')).find(Boolean);
    if (summary) {
      summary.focus();
      return;
    }
    // A new page arrived: main was swapped whole (boosted body swap, outerHTML) or its children replaced.
    const main = document.querySelector('main');
    const isPage = (root) => root !== document.body && (root.contains(main) || root.parentNode === main);
    if (!main || !roots.some(isPage)) return;
    const heading = main.querySelector('h1');
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
    heading.focus();
  }

  // A button that may not be pressed yet counts down, e.g. "Send a new code (42)".
  function countDown(button) {
    let left = Number(button.dataset.wait);
    if (!(left > 0) || button.disabled) return;
    const label = button.textContent;
    button.disabled = true;
    const tick = () => {
      button.textContent = left > 0 ? `${label} (${left})` : label;
      if (left-- <= 0) {
        clearInterval(timer);
        button.disabled = false;
      }
    };
    const timer = setInterval(tick, 1000);
    tick();
  }

  // Long side 1024 px, JPEG 0.6: a 4 MB camera photo of a KTP goes up in about 110 KB (20 s at 100 kbit/s)
  // and its NIK still reads back by OCR (tests/test_photo_sizes.py measures both in Chromium).
  // A form may ask for a longer side (data-shrink="1600"): a whole A4 letter has smaller print than a KTP.
  const SHRINK_SIDE = 1024;
  const SHRINK_QUALITY = 0.6;
  async function shrink(file, side) {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, (side || SHRINK_SIDE) / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', SHRINK_QUALITY));
  }

  // Show the page the server answered with, as htmx would: new main, title and address.
  function showAnswer(xhr) {
    const page = new DOMParser().parseFromString(xhr.responseText, 'text/html');
    const fresh = page.querySelector('main');
    const main = document.querySelector('main');
    if (!fresh || !main) return window.location.assign(xhr.responseURL);
    main.innerHTML = fresh.innerHTML;
    if (window.htmx) window.htmx.process(main);
    document.title = page.title;
    if (xhr.responseURL !== window.location.href) window.history.pushState(null, '', xhr.responseURL);
    init([main]);
  }

  async function upload(form, input) {
    const file = input.files[0];
    const progress = form.querySelector('progress');
    const status = form.querySelector('.upload-status');
    const button = form.querySelector('button');
    const data = new FormData(form);
    button.disabled = true;
    status.textContent = form.dataset.preparing;
    try {
      const small = await shrink(file, Number(form.dataset.shrink));
      if (small && small.size < file.size) data.set(input.name, small, 'foto.jpg');
    } catch (error) {
      // The browser cannot decode it (HEIC on some phones): send the original; the server decides.
    }
    const xhr = new XMLHttpRequest();
    const failed = () => {
      progress.hidden = true;
      button.disabled = false;
      status.textContent = form.dataset.failed;
    };
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.round((event.loaded / event.total) * 100);
      progress.hidden = false;
      progress.value = percent;
      status.textContent = `${form.dataset.uploading} ${percent}%`;
    };
    xhr.onload = () => (xhr.status < 500 ? showAnswer(xhr) : failed());
    xhr.onerror = failed;
    xhr.ontimeout = failed;
    xhr.open('POST', form.action);
    xhr.send(data);
  }

  // roots: the elements that are new since the last init (the body on first load).
  function init(roots) {
    document.querySelectorAll(SHOW_PASSWORD).forEach(applyShowPassword);
    document.querySelectorAll('button[data-wait]').forEach(countDown);
    focusNewContent(roots);
    // A village chosen from the search results: say so where the focus is (the button pressed is gone).
    const chosen = roots.map((root) => within(root, '[data-village-chosen]')).find(Boolean);
    if (chosen) chosen.focus();
    watchSession();
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    const input = form.matches('form[data-shrink]') && form.querySelector('input[type=file]');
    // Without a chosen file, or in an old browser, the plain form goes as it is and the server explains.
    if (!input || !input.files.length || !window.createImageBitmap || !window.FormData) return;
    event.preventDefault();
    upload(form, input);
  });

  // Enter in a village search box searches at once instead of submitting the address form around it.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !window.htmx || !event.target.matches('input[data-village-search]')) return;
    event.preventDefault();
    window.htmx.trigger(event.target, 'search');
  });

  // Receipts and statements: the browser's own print dialog (A4 or A5 set by the page's print CSS).
  document.addEventListener('click', (event) => {
    if (event.target.closest('[data-print]')) window.print();
  });

  document.addEventListener('change', (event) => {
    if (event.target.matches(SHOW_PASSWORD)) applyShowPassword(event.target);
  });

  // One swap fires htmx:load once per inserted element; handle them together.
  document.addEventListener('htmx:load', (event) => {
    if (!loaded.length) setTimeout(() => init(loaded.splice(0)), 0);
    loaded.push(event.target);
  });

  // With htmx, its own htmx:load on <body> starts us; without it, DOMContentLoaded does.
  const start = () => {
    if (!window.htmx) init([document.body]);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
