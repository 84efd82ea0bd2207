"""Page layouts: functions of (lang, query args), cheap to call, no data at import."""
