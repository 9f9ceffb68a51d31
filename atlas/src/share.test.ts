import { shareLink, type ShareTarget } from './share';

const LINK = { url: 'https://atlas.example/atlas/?view=map&region=03459', title: 'Karte – RegioGraph Atlas Niedersachsen' };

/** A clipboard that keeps what is written to it, or refuses as a browser without the permission does. */
function clipboard(refuse = false) {
  const written: string[] = [];
  return {
    written,
    writeText: async (text: string) => {
      if (refuse) throw new DOMException('Write permission denied.', 'NotAllowedError');
      written.push(text);
    },
  };
}

describe('sharing the link of a view', () => {
  it("hands the link and the view's title to the system's share sheet where there is one, and copies nothing", async () => {
    const shared: ShareData[] = [];
    const copied = clipboard();
    const target: ShareTarget = { share: async (data) => void shared.push(data), clipboard: copied };
    await expect(shareLink(LINK, target)).resolves.toBe('shared');
    expect(shared).toEqual([{ title: LINK.title, url: LINK.url }]);
    expect(copied.written).toEqual([]);
  });

  it('does nothing more when the user closes the share sheet', async () => {
    const copied = clipboard();
    const target: ShareTarget = {
      share: () => Promise.reject(new DOMException('Share canceled', 'AbortError')),
      clipboard: copied,
    };
    await expect(shareLink(LINK, target)).resolves.toBe('cancelled');
    expect(copied.written).toEqual([]);
  });

  it('copies the link where there is no share sheet, or where it refuses', async () => {
    const copied = clipboard();
    await expect(shareLink(LINK, { clipboard: copied })).resolves.toBe('copied');
    const refusing: ShareTarget = {
      share: () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')),
      clipboard: copied,
    };
    await expect(shareLink(LINK, refusing)).resolves.toBe('copied');
    expect(copied.written).toEqual([LINK.url, LINK.url]);
  });

  it('leaves the link to be copied by hand without either, or with a clipboard that refuses', async () => {
    await expect(shareLink(LINK, {})).resolves.toBe('manual');
    await expect(shareLink(LINK, { clipboard: clipboard(true) })).resolves.toBe('manual');
  });
});
