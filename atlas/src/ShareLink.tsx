import { useEffect, useRef, useState } from 'react';
import { shareLink, type ShareOutcome } from './share';

const SAID: Record<ShareOutcome, string> = {
  shared: 'Link geteilt.',
  copied: 'Link kopiert: Er lässt sich jetzt in eine Nachricht oder E-Mail einfügen.',
  cancelled: '',
  manual: 'Der Link konnte nicht kopiert werden: Er steht markiert im Feld unten, zum Kopieren von Hand.',
};

/**
 * "Link teilen": the link of the view shown, through the phone's share sheet, the clipboard or a field
 * to copy it from. Given a new `link` (the view changed), it forgets what it said about the last one.
 */
export function ShareLink({ link, title }: { link: string; title: string }) {
  const [outcome, setOutcome] = useState<{ link: string; outcome: ShareOutcome } | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const current = outcome?.link === link ? outcome.outcome : null;
  useEffect(() => {
    if (current === 'manual') field.current?.select();
  }, [current]);
  return (
    <div className="share">
      <button
        type="button"
        className="share-link"
        onClick={() => {
          // Said anew on each tap: a live region announces a change, not the same text again.
          setOutcome(null);
          void shareLink({ url: link, title }, navigator).then((result) => setOutcome({ link, outcome: result }));
        }}
      >
        Link teilen
      </button>
      {/* On the page from the start, so that a screen reader says what the button did (a live region
          inserted together with its text is not read by every one). */}
      <span className="share-status" role="status" aria-live="polite">
        {current ? SAID[current] : ''}
      </span>
      {current === 'manual' && (
        <label className="share-field">
          Link zu dieser Ansicht
          <input ref={field} type="url" readOnly value={link} onFocus={(event) => event.target.select()} />
        </label>
      )}
    </div>
  );
}
