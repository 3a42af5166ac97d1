"""Views: an episode or the schedule shown another way (the watch page, a web post, a calendar file), made from the pipeline's build."""
