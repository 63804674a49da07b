"""`restoreX`: the mirror of `archiveX`, one for each type that can be archived."""
