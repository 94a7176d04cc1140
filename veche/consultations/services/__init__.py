"""Every state change of the consultations app. One module per part: consultations (creation, the foundation),
participants (who takes part), and the parts' own modules."""
