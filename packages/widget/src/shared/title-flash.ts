let original: string | null = null;
let shown = '';
let count = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function toggle(label: string): void {
  // The host may retitle the page meanwhile: that becomes the title to restore.
  if (document.title !== shown && original !== null) original = document.title;
  shown = document.title === label ? (original ?? '') : label;
  document.title = shown;
}

function restore(): void {
  if (document.visibilityState === 'hidden' || original === null) return;
  clearInterval(timer);
  document.removeEventListener('visibilitychange', restore);
  document.title = original;
  original = null;
  count = 0;
}

/**
 * While the tab is hidden, alternates the page title with a count of what
 * arrived ("(2) New escalations") every second, and puts the title back the
 * moment the tab is seen. Shared by every queue on the page.
 */
export function flashTitle(label: (count: number) => string): void {
  if (document.visibilityState !== 'hidden') return;
  count++;
  if (original === null) {
    original = shown = document.title;
    document.addEventListener('visibilitychange', restore);
  }
  clearInterval(timer);
  const text = label(count);
  toggle(text);
  timer = setInterval(() => toggle(text), 1000);
}
