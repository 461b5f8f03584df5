"""Every menu and shortcut action of the window, declared once.

The menus, the shortcut sheet (F1), the remapping dialog and the README's key table all follow
this table; code gives each action its behaviour by name (`build_actions`). Keys are chosen so
that no focused text field or combo box consumes them on Windows, macOS or Linux: no Insert or
Delete with Shift or Ctrl (cut, copy and paste there), no Ctrl+Backspace/Delete (delete a
word), no Ctrl+K/U or Ctrl+Shift+A (line editing on Linux), and no Ctrl+Alt+letter, which is
AltGr on Windows and types letters such as ż, ł or ę on European layouts.
`tests/ui/shortcuts/test_every_shortcut.py` presses each one with a field focused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar, QWidget

Key = str | QKeySequence.StandardKey
_STD = QKeySequence.StandardKey
_PIX = QStyle.StandardPixmap


@dataclass(frozen=True)
class ActionSpec:
    name: str  # the object name; also the settings key of a remapped shortcut
    text: str  # with its & accelerator
    keys: tuple[Key, ...] = ()  # the first is the one shown and remapped
    icon: QStyle.StandardPixmap | None = None
    checkable: bool = False


# The customer editor owns these (it enables them as the open customer allows).
EDITOR = (
    ActionSpec("undo", "&Undo", (_STD.Undo,)),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("revert_field", "Revert &field", ("Ctrl+R",)),
    ActionSpec("revert_all", "Revert &all changes", ("Ctrl+Shift+Backspace",)),
    ActionSpec("copy_billing", "&Copy billing to shipping", ("Ctrl+Shift+B",)),
    ActionSpec("save", "&Save", (_STD.Save,)),
    ActionSpec("review_changes", "Re&view changes…", ("Ctrl+Shift+R",)),
    ActionSpec("deactivate", "&Deactivate customer…", ("Ctrl+Shift+X",)),
    ActionSpec("reactivate", "Reac&tivate customer", ("Ctrl+Shift+T",)),
)
WINDOW = (
    ActionSpec("refresh", "&Refresh", (_STD.Refresh,), _PIX.SP_BrowserReload),
    ActionSpec("stop_loading", "S&top indexing or sending", ("Ctrl+.",), _PIX.SP_BrowserStop),
    ActionSpec("send_pending", "Send &pending saves", ("F9",)),
    ActionSpec("export_list", "&Export list…", ("Ctrl+Shift+E",)),
    ActionSpec("import_changes", "&Import changes…", ("Ctrl+Shift+I",)),
    ActionSpec("switch_profile", "S&witch profile…", ("Ctrl+Shift+P",)),
    ActionSpec("connect", "&Connect to FlexPortal…", ("Ctrl+Shift+N",)),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",)),
    ActionSpec("find", "F&ind customer", (_STD.Find,)),
    ActionSpec("open", "&Open selected", (_STD.Open,)),
    ActionSpec("next_customer", "&Next customer", ("Ctrl+PgDown",)),
    ActionSpec("previous_customer", "&Previous customer", ("Ctrl+PgUp",)),
    ActionSpec("enter_moves_next", "&Enter moves to the next field", ("Ctrl+Shift+M",),
               checkable=True),
    ActionSpec("columns", "&Columns…", ("Ctrl+Shift+O",)),
    ActionSpec("likely_duplicates", "&Likely duplicates…", ("Ctrl+Shift+G",)),
    ActionSpec("views", "Sa&ved views…", ("Ctrl+Shift+S",)),
    ActionSpec("customize_shortcuts", "Customi&ze shortcuts…", ("Ctrl+,",)),
    ActionSpec("shortcuts", "&Keyboard shortcuts", (_STD.HelpContents, "Ctrl+/")),
    ActionSpec("open_log_folder", "Open &log folder", ("Ctrl+Shift+J",)),
    ActionSpec("about", "&About flexdesk", ("Ctrl+Shift+F1",)),
)
# Ctrl+1 … Ctrl+9: the saved views, each slot named after its view (and hidden without one).
VIEW_SLOTS = tuple(ActionSpec(f"view_{n}", f"View &{n}", (f"Ctrl+{n}",)) for n in range(1, 10))
# Qt makes this one (the dock's own toggle); it only takes the face and keys from here.
DRAFTS_PANEL = ActionSpec("drafts_panel", "&Drafts panel", ("Ctrl+Shift+D",), checkable=True)
SPECS: dict[str, ActionSpec] = {
    spec.name: spec for spec in (*EDITOR, *WINDOW, *VIEW_SLOTS, DRAFTS_PANEL)}

# The menu bar: each menu's title and its actions by name, None for a separator.
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("&File", ("stop_loading", "send_pending", None, "export_list", "import_changes", None,
               "switch_profile", "connect", "quit")),
    ("&Edit", ("undo", "redo", "revert_field", "revert_all", "copy_billing", None, "find",
               None, "customize_shortcuts")),
    ("&View", ("refresh", "columns", "likely_duplicates", None, "views",
               *(spec.name for spec in VIEW_SLOTS), None, "drafts_panel", "enter_moves_next")),
    ("&Customer", ("open", "next_customer", "previous_customer", None, "save",
                   "review_changes", "deactivate", "reactivate")),
    ("&Help", ("shortcuts", "open_log_folder", "about")),
)
TOOLBAR = ("refresh", "stop_loading")


def key_sequences(keys: Iterable[Key]) -> list[QKeySequence]:
    """The keys as sequences, each once (the same key twice on one action is an "ambiguous
    shortcut" that never fires). A standard key is its platform's main binding: the others
    are media keys ("Save", "Help") or text-field keys (Alt+Backspace undoes on Windows)."""
    found: list[QKeySequence] = []
    for key in keys:
        sequence = QKeySequence(key)
        if not sequence.isEmpty() and sequence not in found:
            found.append(sequence)
    return found


def configure(action: QAction, spec: ActionSpec, owner: QWidget) -> QAction:
    """Give an action (made here, or by Qt like a dock's toggle) the spec's face and keys."""
    action.setObjectName(spec.name)
    action.setText(spec.text)
    action.setShortcuts(key_sequences(spec.keys))
    action.setCheckable(spec.checkable or action.isCheckable())
    if spec.icon is not None:
        action.setIcon(owner.style().standardIcon(spec.icon))
    owner.addAction(action)  # shortcuts work with the menu bar hidden, and in the owner only
    return action


def build_actions(owner: QWidget, specs: Iterable[ActionSpec],
                  slots: Mapping[str, Callable[..., object]]) -> dict[str, QAction]:
    """One QAction per spec, each triggering the slot of its name, on `owner`."""
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = configure(QAction(owner), spec, owner)
        action.triggered.connect(slots[spec.name])
        actions[spec.name] = action
    return actions


def default_keys(actions: Iterable[QAction]) -> dict[str, list[QKeySequence]]:
    """Each action's keys as declared: what "Restore defaults" goes back to."""
    return {a.objectName(): key_sequences(SPECS[a.objectName()].keys) for a in actions
            if a.objectName() in SPECS}


def build_menu_frame(window: QMainWindow) -> None:
    """The menu bar's titles and the toolbar's faces, greyed until `build_menus` gives them
    their actions: the window starts with them, so its list does not move down when they
    come (after the first paint, with the editor that owns some of them)."""
    for title, _names in MENUS:
        window.menuBar().addMenu(title).setEnabled(False)
    toolbar = _toolbar(window)
    for name in TOOLBAR:
        stand_in = configure(QAction(toolbar), SPECS[name], toolbar)
        stand_in.setShortcuts([])  # the real one takes the keys
        stand_in.setEnabled(False)
        toolbar.addAction(stand_in)


def build_menus(window: QMainWindow, actions: Mapping[str, QAction]) -> None:
    """The menu bar and the toolbar as MENUS and TOOLBAR lay them out (into the frame, if
    `build_menu_frame` made one)."""
    framed = {menu.title(): menu for entry in window.menuBar().actions()
              if isinstance(menu := entry.menu(), QMenu)}
    for title, names in MENUS:
        menu = framed.get(title) or window.menuBar().addMenu(title)
        menu.setEnabled(True)
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[name])
    toolbar = window.findChild(QToolBar, "mainToolbar") or _toolbar(window)
    for stand_in in toolbar.actions():
        stand_in.deleteLater()
    toolbar.clear()
    toolbar.addActions([actions[name] for name in TOOLBAR])


def _toolbar(window: QMainWindow) -> QToolBar:
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return toolbar
