"""Small pieces every area may use: workers, simple dialogs, icons, text helpers. Imports no other
area."""
