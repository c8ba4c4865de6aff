// Keeps the regions marked data-live current without a reload: every 5 s the page is fetched again and each live
// region is replaced by its new version (same id). Paused while the tab is hidden, or while focus is inside a region
// (a keyboard user's place is not lost). No framework: the server renders everything.
(() => {
  const regions = () => document.querySelectorAll('[data-live][id]');
  if (regions().length === 0) return;
  const intervalMs = 5000;
  let busy = false;
  async function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(location.href, { credentials: 'same-origin', headers: { 'X-Console-Refresh': '1' } });
      if (response.redirected && new URL(response.url).pathname.startsWith('/console/login')) { location.assign(response.url); return; }
      if (!response.ok) return;
      const next = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const region of regions()) {
        if (region.contains(document.activeElement)) continue;
        const fresh = next.getElementById(region.id);
        if (fresh) region.replaceWith(document.importNode(fresh, true));
      }
      document.documentElement.dataset.refreshedAt = new Date().toISOString();
    } catch (e) {
      // Offline or restarting: the next tick tries again.
    } finally {
      busy = false;
    }
  }
  setInterval(refresh, intervalMs);
})();
