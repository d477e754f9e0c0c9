"""State of /achievements, /leaderboard, the profile's achievements tab and the pop-up."""
