import { useMemo, useState, type FormEvent } from 'react';
import { failureOfError, request } from './client';
import type { Failure } from './errors';
import { FailureText } from './FailureText';
import type { AtlasSearchQuery } from './generated/graphql';
import { findRegion, foundLabel, orderFound, searchLabel, searchTerms } from './navigation';
import { AtlasSearchDocument } from './operations';
import type { MapRegion } from './MapView';

/** A region the search found in the whole state, with the regions above it. */
export type FoundRegion = AtlasSearchQuery['regions']['nodes'][number];

/** The most results listed; the API is asked for one more, to know that there are more. */
const SHOWN = 20;

/**
 * The map's search field: a region of the map by its suggestion or name, else any region of the state
 * by the API's folded name search (case, umlauts, ß), listed with its Samtgemeinde and county; for a
 * name that matches none, the names near it (a misspelling) are listed the same way.
 */
export function RegionSearch({
  regions,
  onSelect,
  onFound,
}: {
  regions: readonly MapRegion[];
  onSelect(code: string): void;
  /** Opens a region found beyond the map (or one of several of the same name on it). */
  onFound(region: FoundRegion): void;
}) {
  // A failed search's message is the API's failure.
  const [message, setMessage] = useState<string | Failure | null>(null);
  const [found, setFound] = useState<FoundRegion[]>([]);
  // Once per map, not on every render: the map re-renders this on each shape hovered or focused, and
  // sorting 967 labels by the German collation each time is work a pointer's move need not pay for.
  const sortedRegions = useMemo(() => [...regions].sort((a, b) => searchLabel(a).localeCompare(searchLabel(b), 'de')), [regions]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('region-search') ?? '').trim();
    setFound([]);
    const onMap = findRegion(regions, text);
    if (onMap !== 'none' && onMap !== 'several') {
      setMessage(null);
      onSelect(onMap.code);
      return;
    }
    const { name, officialType } = searchTerms(text);
    if (!/[\p{L}\p{N}]/u.test(name)) {
      setMessage('Bitte einen Namen eingeben.');
      return;
    }
    setMessage('Suche läuft…');
    try {
      const { data } = await request(AtlasSearchDocument, { search: name });
      const results = orderFound(data.regions.nodes, officialType);
      if (results.length === 1) {
        setMessage(null);
        onFound(results[0]!);
      } else if (results.length === 0 && data.suggestions.length > 0) {
        setFound(orderFound(data.suggestions, officialType));
        setMessage(`Keine Region „${text}“ in Niedersachsen. Meinten Sie eine dieser?`);
      } else if (results.length === 0) {
        setMessage(`Keine Region „${text}“ in Niedersachsen. Schreibweise prüfen (Umlaute dürfen als ae, oe, ue, ß als ss stehen).`);
      } else {
        setFound(results.slice(0, SHOWN));
        setMessage(
          `${results.length > SHOWN ? `Mehr als ${SHOWN}` : results.length} Regionen passen zu „${text}“${results.length > SHOWN ? ' (genauer eingeben)' : ''}: bitte eine wählen.`,
        );
      }
    } catch (error) {
      setMessage(failureOfError(error));
    }
  };

  return (
    <form className="region-search" role="search" aria-label="Region suchen" onSubmit={(event) => void onSubmit(event)}>
      <label>
        Region suchen{' '}
        <input
          name="region-search"
          list="map-regions"
          autoComplete="off"
          aria-describedby={message ? 'region-search-message' : undefined}
        />
      </label>
      <datalist id="map-regions">
        {sortedRegions.map((region) => (
          <option key={region.code} value={searchLabel(region)} />
        ))}
      </datalist>
      <button type="submit">Öffnen</button>
      {message && (
        <span id="region-search-message" role={found.length > 0 || message === 'Suche läuft…' ? 'status' : 'alert'}>
          {typeof message === 'string' ? (
            message
          ) : (
            <>
              Suche nicht verfügbar: <FailureText failure={message} />
            </>
          )}
        </span>
      )}
      {found.length > 0 && (
        <ul className="search-results">
          {found.map((region) => (
            <li key={region.code} data-region-code={region.code}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  setFound([]);
                  setMessage(null);
                  onFound(region);
                }}
              >
                {foundLabel(region)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
