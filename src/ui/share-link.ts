import { MAX_LINK_CHARS, encodeLink, type Result } from '../sim/index';

/**
 * Copy link: the whole URL for a shared scenario, or the reason there is none.
 * A link longer than MAX_LINK_CHARS would not open (the decoder refuses it),
 * so it is refused here with its length, never copied as if it worked.
 */
export async function shareUrl(json: unknown, base: string): Promise<Result<{ url: string; hash: string }>> {
  let link: string;
  try {
    link = await encodeLink(json);
  } catch (e) {
    return { ok: false, error: `No link made: ${(e as Error).message} (fewer live steps make a shorter link).` };
  }
  const url = `${base}#${link}`;
  if (url.length > MAX_LINK_CHARS) {
    return {
      ok: false,
      error: `No link made: it would be ${url.length.toLocaleString('en-US')} characters, over the ${MAX_LINK_CHARS.toLocaleString('en-US')} a link may hold (fewer live steps make a shorter link).`,
    };
  }
  return { ok: true, value: { url, hash: `#${link}` } };
}
