"""Pure numpy/scipy statistics for tisa: matrices, scores, reliability, agreement, change,
data quality and disclosure control. Knows nothing of databases, files or Streamlit."""
