"""Demo content of the courses plugin (``minamata-lms seed-demo``), built from the seeds' facts and the
text of the Minamata Convention."""
