"""The model layer: one day of the model (people, windows, contacts, the person's day, habit,
activity, need, platform, effects, the day plan), the engine that runs it and its Mesa face
(:class:`~simulation.model.mesa_model.ESNModel`). It knows organisations, not plans' names: an
engine takes a plan already resolved against the organisation (docs/architecture.md)."""
