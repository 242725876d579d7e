"""The SSDA903 return (children looked after): its tables (`tables`), their rows derived from the
records (`derive`), the CSV files the DfE's tools read (`writer`), and the DfE's own validator run
on them (`validate`)."""
