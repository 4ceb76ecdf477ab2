"""Question banks (题库): the admin viewsets, the question form, spreadsheet import and export."""
