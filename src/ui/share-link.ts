import { MAX_LINK_CHARS, encodeLink, viewFields, type LinkView, type Result } from '../sim/index';

/**
 * Copy link: the whole URL for a shared scenario, with the view it opens at
 * (cursor, selected event, tab, comparison: see the core's link-view.ts), or
 * the reason there is none. A link longer than MAX_LINK_CHARS would not open
 * (the decoder refuses it), so it is refused here with its length, never
 * copied as if it worked.
 */
export async function shareUrl(json: unknown, base: string, view: LinkView = {}): Promise<Result<{ url: string; hash: string; link: string }>> {
  let link: string;
  try {
    link = await encodeLink(json);
  } catch (e) {
    return { ok: false, error: `No link made: ${(e as Error).message} (fewer live steps make a shorter link).` };
  }
  const hash = `#${link}${viewFields(view)}`;
  const url = `${base}${hash}`;
  if (url.length > MAX_LINK_CHARS) {
    return {
      ok: false,
      error: `No link made: it would be ${url.length.toLocaleString('en-US')} characters, over the ${MAX_LINK_CHARS.toLocaleString('en-US')} a link may hold (fewer live steps make a shorter link).`,
    };
  }
  return { ok: true, value: { url, hash, link } };
}
