// The session timeout warning (WCAG 2.2.1): opens a <dialog> SESSION_TIMEOUT_WARNING_SECONDS before the
// session ends, counts down, and "Stay signed in" extends it without leaving the page, so nothing typed is lost.
// Without this script the dialog never opens and the server signs the user out; the sign-in page says why.

const ONE_SECOND = 1000;

function describe(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

export function initSessionTimeout(dialog) {
  const warningMs = Number(dialog.dataset.warningSeconds) * ONE_SECOND;
  const statusUrl = dialog.dataset.statusUrl;
  const countdown = dialog.querySelector(".app-session-timeout__countdown");
  const extendForm = dialog.querySelector(".app-session-timeout__extend");
  const closeButton = dialog.querySelector(".app-session-timeout__close");
  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * ONE_SECOND;
  let warnTimer;
  let endTimer;
  let tickTimer;

  const secondsLeft = () => Math.max(0, Math.round((deadline - Date.now()) / ONE_SECOND));

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(checkThenWarn, Math.max(0, deadline - warningMs - Date.now()));
    endTimer = setTimeout(expire, Math.max(0, deadline - Date.now() + ONE_SECOND));
  }

  async function status() {
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }

  function adopt(state) {
    deadline = Date.now() + state.seconds_left * ONE_SECOND;
  }

  function tick() {
    if (countdown) countdown.textContent = describe(secondsLeft());
  }

  function hide() {
    clearInterval(tickTimer);
    if (dialog.open) dialog.close();
  }

  async function checkThenWarn() {
    // Another tab may have kept the session alive: ask the server before warning.
    const state = await status();
    if (state && state.signed_in) {
      adopt(state);
      if (state.seconds_left * ONE_SECOND > warningMs + ONE_SECOND) {
        schedule();
        return;
      }
    }
    tick();
    clearInterval(tickTimer);
    tickTimer = setInterval(tick, ONE_SECOND);
    if (!dialog.open) dialog.showModal();
  }

  async function expire() {
    const state = await status();
    if (state && state.signed_in && state.seconds_left > 0) {
      adopt(state);
      if (state.seconds_left * ONE_SECOND > warningMs) hide();
      schedule();
      return;
    }
    // Load the page again: the server signs the user out and the sign-in page says why.
    window.location.assign(window.location.pathname + window.location.search);
  }

  async function staySignedIn() {
    try {
      const response = await fetch(extendForm.action, {
        method: "POST",
        body: new FormData(extendForm),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const state = response.ok ? await response.json() : null;
      if (state && state.signed_in) {
        adopt(state);
        hide();
        schedule();
        return;
      }
    } catch {
      // fall through: let the form post the ordinary way
    }
    extendForm.submit();
  }

  if (extendForm) {
    extendForm.addEventListener("submit", (event) => {
      event.preventDefault();
      staySignedIn();
    });
    // Escape closes a modal dialog; treat it as "stay signed in", the choice that loses nothing.
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      staySignedIn();
    });
  }
  if (closeButton) closeButton.addEventListener("click", hide);
  schedule();
}

export function initAllSessionTimeouts(root = document) {
  root.querySelectorAll('[data-module="app-session-timeout"]').forEach(initSessionTimeout);
}
