"""Sessions: a facilitator's plan for a training session (a YAML file beside the cards), and what is made from it:
a room that follows it, a workbook for one person, printable worksheets and a facilitator's guide."""
