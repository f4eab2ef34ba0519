"""One use case each (validate, uppdrag, the meeting cycle, notice, minutes mail, lists,
schemas, init): returns data or raises a SiktError; never prints or exits."""
