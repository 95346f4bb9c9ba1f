-- load/set_threads: how many threads this connection's queries may use (the DSA importer and its benchmark).
-- parameters: $threads (integer)
set threads = $threads
