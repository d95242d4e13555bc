import { type RefObject, useEffect, useLayoutEffect, useState } from 'react';

/** How close to the bottom (px) still counts as "at the end": sub-pixel rounding and a half-seen last line. */
const AT_END_PX = 24;

function scrollToBottom(el: HTMLElement | null): void {
  if (el) {
    el.scrollTop = el.scrollHeight;
  }
}

/**
 * Keeps a scrolled box at its end while `following`, as `tail -f` does. Scrolling up stops following (reading an
 * earlier line must not be yanked away by the next one); scrolling back to the end, or `jumpToEnd`, starts it again.
 * `contentKey` changes whenever new content is rendered.
 */
export function useFollowEnd(box: RefObject<HTMLElement | null>, contentKey: unknown, active: boolean) {
  const [following, setFollowing] = useState(true);

  useLayoutEffect(() => {
    if (following && active) {
      scrollToBottom(box.current);
    }
  }, [box, contentKey, following, active]);

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

  const jumpToEnd = () => {
    setFollowing(true);
    scrollToBottom(box.current);
  };

  return { following, pause: () => setFollowing(false), jumpToEnd };
}
