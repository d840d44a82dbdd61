import { useCallback, useEffect, useRef, useState } from 'react';
import { moveFocus } from './roving';

/**
 * A menu button's behaviour (the WAI-ARIA menu button pattern): Enter, Space or
 * ArrowDown on the button opens the menu on its first item, ArrowUp on its
 * last; in the menu the arrows, Home and End move, Escape closes it and gives
 * the focus back to the button, Tab closes it, and so does a click outside.
 */
export interface Menu {
  open: boolean;
  /** Closes the menu; `refocus` puts the focus back on its button. */
  close(refocus: boolean): void;
  /** The element holding the button and the list (a click outside it closes the menu). */
  root: React.RefObject<HTMLDivElement | null>;
  buttonProps: { onClick: () => void; onKeyDown: (e: React.KeyboardEvent<HTMLButtonElement>) => void };
  listProps: { onKeyDown: (e: React.KeyboardEvent<HTMLDivElement>) => void };
}

export function useMenu(items: number): Menu {
  const [open, setOpen] = useState(false);
  /** The item to focus once the list is rendered (-1: none). */
  const focusOnOpen = useRef(-1);
  const root = useRef<HTMLDivElement>(null);
  const itemsOf = (): HTMLElement[] => Array.from(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) root.current?.querySelector<HTMLElement>('[aria-haspopup]')?.focus();
  }, []);
  const openAt = (i: number): void => {
    focusOnOpen.current = i;
    setOpen(true);
  };
  useEffect(() => {
    if (!open) return;
    const all = itemsOf();
    const first = all[focusOnOpen.current];
    if (first) {
      for (const el of all) el.tabIndex = el === first ? 0 : -1;
      first.focus();
    }
    const outside = (e: PointerEvent): void => {
      if (!root.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open, close]);
  return {
    open,
    close,
    root,
    buttonProps: {
      // A pointer click opens the menu without moving the focus into it (as native menus do).
      onClick: () => (open ? close(false) : openAt(-1)),
      onKeyDown: (e) => {
        if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') openAt(0);
        else if (e.key === 'ArrowUp') openAt(items - 1);
        else if (e.key === 'Escape' && open) close(true);
        else return;
        e.preventDefault();
      },
    },
    listProps: {
      onKeyDown: (e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close(true);
        } else if (e.key === 'Tab') {
          close(false);
        } else if (moveFocus(itemsOf(), e.target as HTMLElement, e.key, true)) {
          e.preventDefault();
        }
      },
    },
  };
}
