import { type RefObject, useCallback, useEffect, useLayoutEffect, useState } from 'react';

/** How close to the bottom (px) still counts as "at the end": sub-pixel rounding and a half-seen last line. */
const AT_END_PX = 24;

/**
 * Keeps a scrolled box at its end while `following`, as `tail -f` does. Scrolling up stops following (reading an
 * earlier line must not be yanked away by the next one); scrolling back to the end, or `jumpToEnd`, starts it again.
 * `contentKey` changes whenever new content is rendered.
 */
export function useFollowEnd(box: RefObject<HTMLElement | null>, contentKey: unknown, active: boolean) {
  const [following, setFollowing] = useState(true);

  const scrollToEnd = useCallback(() => {
    const el = box.current;
    if (el) {
      el.scrollTop = el.scrollHeight;
    }
  }, [box]);

  useLayoutEffect(() => {
    if (following && active) {
      scrollToEnd();
    }
  }, [contentKey, following, active, scrollToEnd]);

  useEffect(() => {
    const el = box.current;
    if (!el) {
      return;
    }
    const onScroll = () => {
      // Our own jump lands at the end, so it keeps following; only a scroll away from the end pauses.
      setFollowing(el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_PX);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [box]);

  const jumpToEnd = useCallback(() => {
    setFollowing(true);
    scrollToEnd();
  }, [scrollToEnd]);

  return { following, pause: () => setFollowing(false), jumpToEnd };
}
