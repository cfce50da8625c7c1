// pingxiang-cf: keep the bell's unread count fresh (no inline scripts).
// Polls /notifications/count/ once a minute while the page is visible, and
// when it becomes visible again; on any failure the last count stays.
(() => {
  const bell = document.getElementById("notification-bell");
  const url = bell && bell.dataset.countUrl;
  if (!url) return;
  const badge = bell.querySelector("[data-bell-count]");
  const unit = bell.querySelector("[data-bell-unit]");
  const INTERVAL_MS = 60 * 1000;

  const show = (count) => {
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
    if (unit) unit.hidden = count === 0;
  };

  const refresh = async () => {
    if (document.visibilityState !== "visible") return;
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "error", // signed out: the login redirect is not a count
      });
      if (!response.ok) return;
      const data = await response.json();
      if (Number.isInteger(data.unread)) show(data.unread);
    } catch {
      // offline or signed out: keep what is shown
    }
  };

  window.setInterval(refresh, INTERVAL_MS);
  document.addEventListener("visibilitychange", refresh);
})();
