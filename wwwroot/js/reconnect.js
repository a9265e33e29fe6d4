// The reconnect banner (#components-reconnect-modal in App.razor). Blazor retries on its own and reports each state
// through 'components-reconnect-state-changed'; this adds what its custom-UI mode leaves to the app: reload when the
// server answers but no longer knows the circuit (it restarted), and keep retrying after Blazor's own retries ran out.
(() => {
  const banner = document.getElementById('components-reconnect-modal');
  if (!banner) return;
  let retryTimer = null;
  const stopRetrying = () => { if (retryTimer) { clearInterval(retryTimer); retryTimer = null; } };
  const retry = async () => {
    try {
      // false: the server is back but the circuit is gone, so only a fresh page can continue.
      if (!(await Blazor.reconnect())) location.reload();
      else stopRetrying();
    } catch {
      // Still unreachable: the timer tries again.
    }
  };
  banner.addEventListener('components-reconnect-state-changed', (e) => {
    const state = e.detail && e.detail.state;
    if (state === 'rejected') location.reload();
    else if (state === 'failed' && !retryTimer) retryTimer = setInterval(retry, 3000);
    else if (state === 'hide') stopRetrying();
  });
  document.getElementById('components-reconnect-retry')?.addEventListener('click', retry);
  document.getElementById('components-reconnect-reload')?.addEventListener('click', () => location.reload());
})();
