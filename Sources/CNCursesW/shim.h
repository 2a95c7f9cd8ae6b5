#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
/* SwiftPM drops pkg-config's -D flags, so the wide-character API must be switched on here,
   before <curses.h>: cchar_t, wget_wch, setcchar, mvwadd_wch. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

/* C globals are not concurrency-safe in Swift 6 and function-like macros are not imported:
   reach them through these accessors. */
static inline WINDOW *tui_stdscr(void) { return stdscr; }
static inline int tui_lines(void) { return LINES; }
static inline int tui_cols(void) { return COLS; }
static inline int tui_colors(void) { return COLORS; }
static inline int tui_color_pairs(void) { return COLOR_PAIRS; }
/* newterm instead of initscr, which exit()s on a bad $TERM. */
static inline SCREEN *tui_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline attr_t tui_a_bold(void) { return A_BOLD; }
static inline attr_t tui_a_dim(void) { return A_DIM; }
static inline attr_t tui_a_reverse(void) { return A_REVERSE; }
static inline attr_t tui_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tui_a_italic(void) { return A_ITALIC; }
static inline const char *tui_codeset(void) { return nl_langinfo(CODESET); }
/* One grapheme (up to 5 wchar_t, NUL-terminated) with attributes and an extended colour pair. */
static inline int tui_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, wch, attrs, (short)0, &pair) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}
/* 0: $TERM is unknown; 1: known, but it cannot place the cursor (no terminfo cup: dumb); 2: fine.
   Read before newterm, so that such a terminal is refused before anything is drawn. */
static inline int tui_terminal_capability(void) {
    int status = 0;
    if (setupterm(NULL, STDOUT_FILENO, &status) != OK) return 0;
    const char *cup = tigetstr("cup");
    int result = cup != NULL && cup != (char *)-1 ? 2 : 1;
    del_curterm(cur_term);
    return result;
}
/* A terminfo string, or NULL when the terminal has none (tigetstr also says -1 for that). */
static inline const char *tui_string_capability(const char *name) {
    const char *value = tigetstr(name);
    return value == (char *)-1 ? NULL : value;
}
/* After SIGWINCH: the terminal's new size, handed to ncurses (it no longer reads the input). */
static inline void tui_resize_to_terminal(void) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0)
        resizeterm(size.ws_row, size.ws_col);
}
/* The mouse: ncurses switches the terminal's reports on (and off again in endwin) as terminfo
   says; the key decoder reads them (the button masks are macros). */
static inline void tui_enable_mouse(void) {
    mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
}
#endif
