"""Control by sampling: each week a supervisor reviews a random sample of the agency's
closed requests on a short grid; the results are read per team and per segment, and feed
the loyalty cycle's Contrôler step as an indicator."""
