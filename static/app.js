/* Portal enhancements: show-password toggle, idle-session warning, focus after page changes. */
(() => {
  'use strict';

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

  // roots: the elements that are new since the last init (the body on first load).
  function init(roots) {
    document.querySelectorAll(SHOW_PASSWORD).forEach(applyShowPassword);
    focusNewContent(roots);
    watchSession();
  }

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
