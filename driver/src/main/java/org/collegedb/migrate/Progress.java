package org.collegedb.migrate;

/** What a long step reports as it goes: the command line shows it as a progress bar. */
public interface Progress {
  /** A step starts: its name and the amount of work (rows), or -1 when unknown. */
  void begin(String task, long total);

  /** {@code n} more units of work are done. */
  void advance(long n);

  /** The step is over. */
  void end();

  /** Reports nothing. */
  Progress NONE = new Progress() {
    @Override
    public void begin(String task, long total) {
    }

    @Override
    public void advance(long n) {
    }

    @Override
    public void end() {
    }
  };
}
