"""The dashboard's few style rules shared by its pages."""

#: Sliders show their value: Mesa's sliders (solara.SliderInt with its default thumb label) show
#: it only while dragged, so the thumb label is kept in view, with room above each slider for it.
SLIDER_VALUES = """
.v-slider__thumb-label-container { display: block !important; }
.v-input__slider { padding-top: 30px; }
"""
