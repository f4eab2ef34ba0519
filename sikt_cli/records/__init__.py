"""Pure queries over the model: uppdrag and their follow-ups, meetings, overviews."""
