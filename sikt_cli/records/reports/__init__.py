"""The reports for the network and its principal: attendance, goals, uppdrag, the year."""
