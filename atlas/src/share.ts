// Sharing a view's link from a phone, whose address bar is small, hidden while scrolling or missing in an
// app's web view: the view lives in the link (state.ts), so the link is what is shared.

/** What became of a share: handed to the system's share sheet, copied, cancelled by the user, or left to be copied by hand. */
export type ShareOutcome = 'shared' | 'copied' | 'cancelled' | 'manual';

/** The parts of `navigator` a share uses; each may be missing (a page over http has neither). */
export interface ShareTarget {
  share?: (data: ShareData) => Promise<void>;
  clipboard?: Pick<Clipboard, 'writeText'>;
}

/**
 * The system's share sheet where the browser has one (phones), else the clipboard; `manual` where
 * neither works (no secure context, a permission refused), and the page shows the link to copy by hand.
 */
export async function shareLink(link: { url: string; title: string }, target: ShareTarget): Promise<ShareOutcome> {
  if (typeof target.share === 'function') {
    try {
      await target.share({ title: link.title, url: link.url });
      return 'shared';
    } catch (error) {
      // The user closed the share sheet: nothing to say, nothing to copy.
      if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled';
    }
  }
  try {
    if (!target.clipboard) return 'manual';
    await target.clipboard.writeText(link.url);
    return 'copied';
  } catch {
    return 'manual';
  }
}
